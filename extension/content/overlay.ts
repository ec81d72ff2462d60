// The Call chip: one host element in the top layer, a closed shadow root, a button placed where it covers nothing
// readable (chip-placement.ts), never over the number, watched by the browser's occlusion tracking so a click only counts once it has really been seen.
import { placeChip, type Rect } from './chip-placement.js';
import { newChipWatch, type ChipWatch } from './click-guard.js';


export const OVERLAY_TAG = 'c2c-overlay';

const CHIP_STYLES = `
:host { all: initial; }
@media print { :host { display: none !important; } .chip { display: none !important; } }
.chip {
  position: fixed; z-index: 2147483647; display: none; box-sizing: border-box;
  margin: 0; padding: 4px 10px; border: 0; border-radius: 12px; min-height: 24px;
  font: 600 13px/16px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #fff; background: #1558b0;
  box-shadow: 0 2px 6px rgb(0 0 0 / 0.3); cursor: pointer; white-space: nowrap;
}
.chip[data-open] { display: inline-flex; align-items: center; gap: 6px; }
.chip:focus-visible { outline: 3px solid #fbbc04; outline-offset: 2px; }
.chip:hover { background: #0f4a99; }
.chip[data-compact] { width: 24px; padding: 0; justify-content: center; }
.chip[data-compact] > span { display: none; }
.icon { width: 14px; height: 14px; flex: none; fill: currentColor; }
.chip:not([data-compact]) .icon { display: none; }
.number { font-weight: 400; }
.ext { font-weight: 400; }
.ext:empty { display: none; }
.mark {
  position: fixed; z-index: 2147483646; display: none; pointer-events: none; box-sizing: border-box;
  border-radius: 3px; background: rgb(26 115 232 / 0.15);
}
.mark[data-open] { display: block; }
.chip[data-refused] { background: #4a4d51; white-space: normal; max-width: 260px; text-align: left; cursor: default; }
.chip[data-refused] .verb { display: none; }
`;

export interface ChipTarget {
  /** The number that will be dialled, formatted for people. */
  text: string;
  /** Extension digits dialled after the answer, shown so nothing is sent that the agent did not see. */
  extension?: string;
  /** The number's line boxes on screen (viewport coordinates), cut to what is visible of it. */
  lines: Rect[];
  /** Whether a box covers nothing readable of the page (hit-tested); without it, any place off the number will do. */
  isFree?: (r: Rect) => boolean;
  /** Why the number cannot be called (a refused destination): the chip says so and dials nothing. */
  refusal?: string;
}

export interface Overlay {
  readonly host: HTMLElement | null;
  show(target: ChipTarget): void;
  hide(): void;
  isOpen(): boolean;
  /** Whether an event happened on the chip. */
  contains(event: Event): boolean;
  /** Moves keyboard focus to the open chip (for a number reached with the keyboard). */
  focus(): void;
  /** Whether the chip has keyboard focus. */
  hasFocus(): boolean;
  /** What is known of how long the chip has been seen (reset whenever it is shown anew or moved). */
  watch(): ChipWatch;
  /** A real pointer movement (trusted, non-zero movement): notes whether it moved onto the chip from outside. */
  notePointer(x: number, y: number): void;
  /** Shows a sentence in place of the number for a moment (a refused click), inside the closed root. */
  say(sentence: string): void;
  /** Shows a chip that only says why something cannot be called (a tel: link with no callable number); it dials nothing. */
  notice(target: { lines: Rect[]; isFree?: (r: Rect) => boolean; sentence: string }): void;
  /** Whether the chip is what the browser hit-tests at a point (nothing clickable of the page's is over it). */
  isAt(x: number, y: number): boolean;
  /** Adds another of our surfaces (the call bar) to the same closed root, with its styles. */
  mount(element: HTMLElement, styles: string): void;
}

/** The icon-only chip's side (CSS px), as its style draws it. */
const COMPACT_PX = 24;

export function createOverlay(doc: Document, onCall: (event: MouseEvent) => void, onLeave: () => void): Overlay {
  const win = doc.defaultView!;
  const now = () => win.performance.now();
  let host: HTMLElement | null = null;
  let button: HTMLButtonElement | null = null;
  let numberLabel: HTMLSpanElement | null = null;
  let extLabel: HTMLSpanElement | null = null;
  let watch = newChipWatch(now());
  let pointerInside = false;
  let shownAt: { left: number; top: number; text: string; key: string } | null = null;
  let sayTimer = 0;
  let label = '';
  // IntersectionObserver v2: isVisible is true only while nothing covers the chip and no opacity, filter or transform
  // applies to it, as the compositor drew it; the page cannot fake it. Where it is missing, visibleSince stays null and
  // the chip refuses every click.
  let visibility: IntersectionObserver | null = null;
  const observeVisibility = (el: Element) => {
    if (typeof win.IntersectionObserver !== 'function') return;
    visibility?.disconnect();
    watch.visibleSince = null;
    try {
      visibility = new win.IntersectionObserver(
        (entries) => {
          for (const entry of entries) {
            const visible = (entry as IntersectionObserverEntry & { isVisible?: boolean }).isVisible === true && entry.isIntersecting;
            if (!visible) watch.visibleSince = null;
            else watch.visibleSince ??= entry.time;
          }
        },
        { trackVisibility: true, delay: 100, threshold: [1] } as IntersectionObserverInit,
      );
      visibility.observe(el);
    } catch {
      visibility = null;
    }
  };
  /** Tints the number the chip is for, one box per line (drawn here, not with a second page highlight: see highlight.ts). */
  const marks: HTMLDivElement[] = [];
  const drawMarks = (lines: readonly Rect[]) => {
    while (marks.length < lines.length) {
      const mark = doc.createElement('div');
      mark.className = 'mark';
      shadow!.insertBefore(mark, button);
      marks.push(mark);
    }
    marks.forEach((mark, i) => {
      const line = lines[i];
      mark.toggleAttribute('data-open', line !== undefined);
      if (!line) return;
      Object.assign(mark.style, { left: `${line.left - 1}px`, top: `${line.top - 1}px`, width: `${line.right - line.left + 2}px`, height: `${line.bottom - line.top + 2}px` });
    });
  };
  let shadow: ShadowRoot | null = null;
  let open = false;
  let lastPointer: { x: number; y: number } | null = null;

  function ensure(): HTMLButtonElement {
    if (host && button && host.isConnected) return button;
    if (!host) {
      host = doc.createElement(OVERLAY_TAG);
      // Everything about the host is set before it is added: the page sees one addition and nothing else.
      host.style.setProperty('all', 'initial', 'important');
      host.style.setProperty('position', 'fixed', 'important');
      host.style.setProperty('top', '0', 'important');
      host.style.setProperty('left', '0', 'important');
      host.style.setProperty('width', '0', 'important');
      host.style.setProperty('height', '0', 'important');
      host.style.setProperty('z-index', '2147483647', 'important');
      // Closed: the page cannot reach into the chip (nor click it from script: calls need a trusted click).
      const root = (shadow = host.attachShadow({ mode: 'closed' }));
      const style = doc.createElement('style');
      style.textContent = CHIP_STYLES;
      button = doc.createElement('button');
      button.type = 'button';
      button.className = 'chip';
      const label = doc.createElement('span');
      label.className = 'verb';
      label.textContent = 'Call';
      numberLabel = doc.createElement('span');
      numberLabel.className = 'number';
      extLabel = doc.createElement('span');
      extLabel.className = 'ext';
      const icon = doc.createElementNS('http://www.w3.org/2000/svg', 'svg');
      icon.setAttribute('class', 'icon');
      icon.setAttribute('viewBox', '0 0 24 24');
      icon.setAttribute('aria-hidden', 'true');
      const path = doc.createElementNS('http://www.w3.org/2000/svg', 'path');
      // A telephone handset.
      path.setAttribute('d', 'M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z');
      icon.append(path);
      button.append(icon, label, numberLabel, extLabel);
      button.addEventListener('click', (e) => onCall(e));
      button.addEventListener('mouseleave', () => onLeave());
      button.addEventListener('focus', (e) => {
        if (e.isTrusted) watch.focusedAt = now();
      });
      button.addEventListener('blur', () => {
        watch.focusedAt = null;
      });
      root.append(style, button);
      // The top layer: no page z-index can paint over it; a page's own popover or dialog opened later can, which the
      // visibility observer sees.
      host.popover = 'manual';
    }
    if (host.parentNode !== doc.documentElement) (doc.documentElement ?? doc.body).appendChild(host);
    return button!;
  }

  /** (Re)opens the host in the top layer, above any popover the page opened before. */
  function raise(): void {
    if (!host || typeof host.showPopover !== 'function') return;
    try {
      if (host.matches(':popover-open')) host.hidePopover();
      host.showPopover();
    } catch {
      // Not supported or the page interfered: the checks at click time still apply.
    }
  }

  return {
    get host() {
      return host;
    },
    show(target) {
      const b = ensure();
      win.clearTimeout(sayTimer);
      const ext = target.extension && !target.refusal ? ` ext. ${target.extension}` : '';
      // A refused destination's chip says why instead of offering the call (it dials nothing).
      label = target.refusal ?? `Call ${target.text}${ext}`;
      const key = JSON.stringify(target.lines.map((l) => [l.left, l.top, l.right, l.bottom]));
      // The same number at the same place (every pointer move over it shows it again): the placement stands.
      if (open && shownAt && shownAt.text === label && shownAt.key === key) return;
      b.toggleAttribute('data-refused', !!target.refusal);
      numberLabel!.textContent = target.refusal ?? target.text;
      extLabel!.textContent = ext.trim();
      b.setAttribute('aria-label', label);
      b.title = label;
      b.toggleAttribute('data-compact', false);
      b.toggleAttribute('data-open', true);
      const view = doc.defaultView;
      const size = b.getBoundingClientRect();
      const full = { width: size.width || 160, height: size.height || 24 };
      const place = placeChip(
        target.lines,
        // A refusal is never cut to the icon: the sentence is the point.
        { full, compact: target.refusal ? full : { width: COMPACT_PX, height: COMPACT_PX } },
        { width: view?.innerWidth ?? 1024, height: view?.innerHeight ?? 768 },
        target.isFree ?? (() => true),
      );
      b.toggleAttribute('data-compact', place.compact && !target.refusal);
      b.style.left = `${place.left}px`;
      b.style.top = `${place.top}px`;
      drawMarks(target.lines);
      const moved = !open || !shownAt || shownAt.left !== place.left || shownAt.top !== place.top || shownAt.text !== label;
      if (moved) {
        // Shown anew or moved: the wait starts again, and a pointer already on the spot has not moved onto it.
        raise();
        watch = newChipWatch(now());
        const r = b.getBoundingClientRect();
        pointerInside = lastPointer !== null && lastPointer.x >= r.left && lastPointer.x <= r.right && lastPointer.y >= r.top && lastPointer.y <= r.bottom;
        observeVisibility(b);
      }
      shownAt = { left: place.left, top: place.top, text: label, key };
      open = true;
    },
    hide() {
      if (!button || !open) return;
      button.toggleAttribute('data-open', false);
      for (const mark of marks) mark.toggleAttribute('data-open', false);
      visibility?.disconnect();
      watch.visibleSince = null;
      shownAt = null;
      open = false;
      // Out of the top layer while closed: a top-layer element brings a viewport-wide ::backdrop, which the browser's
      // occlusion tracking counts as covering every frame of the page (their chips would refuse every click).
      try {
        if (host?.matches(':popover-open')) host.hidePopover();
      } catch {
        // Already closed.
      }
    },
    watch: () => watch,
    mount(element, styles) {
      ensure();
      if (element.parentNode === shadow) return;
      const style = doc.createElement('style');
      style.textContent = styles;
      shadow!.append(style, element);
    },
    isAt(x, y) {
      if (!host || !shadow || !button) return false;
      if (doc.elementFromPoint(x, y) !== host) return false;
      const inner = shadow.elementFromPoint(x, y);
      return inner !== null && button.contains(inner);
    },
    notePointer(x, y) {
      lastPointer = { x, y };
      if (!open || !button) return;
      const r = button.getBoundingClientRect();
      const inside = x >= r.left && x <= r.right && y >= r.top && y <= r.bottom;
      if (inside && !pointerInside) watch.pointerEntered = true;
      pointerInside = inside;
    },
    notice(target) {
      const b = ensure();
      win.clearTimeout(sayTimer);
      label = target.sentence;
      numberLabel!.textContent = target.sentence;
      extLabel!.textContent = '';
      b.setAttribute('aria-label', target.sentence);
      b.title = target.sentence;
      b.toggleAttribute('data-compact', false);
      b.toggleAttribute('data-refused', true);
      b.toggleAttribute('data-open', true);
      const size = b.getBoundingClientRect();
      const place = placeChip(
        target.lines,
        { full: { width: size.width || 200, height: size.height || 24 }, compact: { width: size.width || 200, height: size.height || 24 } },
        { width: win.innerWidth, height: win.innerHeight },
        target.isFree ?? (() => true),
      );
      b.style.left = `${place.left}px`;
      b.style.top = `${place.top}px`;
      drawMarks(target.lines);
      raise();
      watch = newChipWatch(now());
      shownAt = { left: place.left, top: place.top, text: label, key: 'notice' };
      open = true;
    },
    say(sentence) {
      if (!button || !numberLabel) return;
      numberLabel.textContent = sentence;
      extLabel!.textContent = '';
      // The sentence is read in full, even from the icon-only chip.
      button.toggleAttribute('data-compact', false);
      win.clearTimeout(sayTimer);
      const restore = label;
      sayTimer = win.setTimeout(() => {
        if (numberLabel && button?.getAttribute('aria-label') === restore) numberLabel.textContent = restore.replace(/^Call /, '').replace(/ ext\. .*$/, '');
        if (extLabel) extLabel.textContent = / ext\. (.*)$/.exec(restore)?.[0].trim() ?? '';
      }, 2500);
    },
    isOpen: () => open,
    contains(event) {
      return host !== null && event.composedPath().includes(host);
    },
    focus() {
      if (open) button?.focus({ preventScroll: true });
    },
    hasFocus: () => open && shadow !== null && shadow.activeElement === button,
  };
}
