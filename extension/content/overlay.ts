// The Call chip: one host element appended once, a closed shadow root, a button placed beside (never over) the number.

export const OVERLAY_TAG = 'c2c-overlay';

const CHIP_STYLES = `
:host { all: initial; }
@media print { :host { display: none !important; } .chip { display: none !important; } }
.chip {
  position: fixed; z-index: 2147483647; display: none; box-sizing: border-box;
  margin: 0; padding: 4px 10px; border: 0; border-radius: 14px; min-height: 28px;
  font: 600 13px/20px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #fff; background: #1a73e8;
  box-shadow: 0 2px 6px rgb(0 0 0 / 0.3); cursor: pointer; white-space: nowrap;
}
.chip[data-open] { display: inline-flex; align-items: center; gap: 6px; }
.chip:focus-visible { outline: 3px solid #fbbc04; outline-offset: 2px; }
.chip:hover { background: #1765cc; }
.number { font-weight: 400; opacity: 0.9; }
.mark {
  position: fixed; z-index: 2147483646; display: none; pointer-events: none; box-sizing: border-box;
  border-radius: 3px; background: rgb(26 115 232 / 0.15);
}
.mark[data-open] { display: block; }
`;

export interface ChipTarget {
  text: string;
  /** Where the number is on screen (viewport coordinates). */
  rect: DOMRect;
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
}

export const CHIP_GAP = 4;

type Rect = { left: number; top: number; right: number; bottom: number };
type Size = { width: number; height: number };

/**
 * Where the chip goes, never over the number: to its right on the same line if that fits in the viewport, else to its
 * left, else above or below it. Beside the number rather than above keeps the rows above and below (often more
 * numbers, or the column header) uncovered, so the pointer can move straight to the next number.
 */
export function placeChip(rect: Rect, chip: Size, viewport: Size): { left: number; top: number } {
  const centred = rect.top + (rect.bottom - rect.top) / 2 - chip.height / 2;
  const top = Math.max(0, Math.min(centred, viewport.height - chip.height));
  if (rect.right + CHIP_GAP + chip.width <= viewport.width) return { left: rect.right + CHIP_GAP, top };
  if (rect.left - CHIP_GAP - chip.width >= 0) return { left: rect.left - CHIP_GAP - chip.width, top };
  const left = Math.max(0, Math.min(rect.left, viewport.width - chip.width));
  const above = rect.top - chip.height - CHIP_GAP;
  return { left, top: above >= 0 ? above : rect.bottom + CHIP_GAP };
}

export function createOverlay(doc: Document, onCall: (event: MouseEvent) => void, onLeave: () => void): Overlay {
  let host: HTMLElement | null = null;
  let button: HTMLButtonElement | null = null;
  let numberLabel: HTMLSpanElement | null = null;
  /** Tints the number the chip is for (drawn here, not with a second page highlight: see highlight.ts). */
  let mark: HTMLDivElement | null = null;
  let shadow: ShadowRoot | null = null;
  let open = false;

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
      label.textContent = 'Call';
      numberLabel = doc.createElement('span');
      numberLabel.className = 'number';
      button.append(label, numberLabel);
      button.addEventListener('click', (e) => onCall(e));
      button.addEventListener('mouseleave', () => onLeave());
      mark = doc.createElement('div');
      mark.className = 'mark';
      root.append(style, mark, button);
    }
    (doc.documentElement ?? doc.body).appendChild(host);
    return button!;
  }

  return {
    get host() {
      return host;
    },
    show(target) {
      const b = ensure();
      numberLabel!.textContent = target.text;
      b.setAttribute('aria-label', `Call ${target.text}`);
      b.title = `Call ${target.text}`;
      b.toggleAttribute('data-open', true);
      const view = doc.defaultView;
      const size = b.getBoundingClientRect();
      const place = placeChip(
        target.rect,
        { width: size.width || 140, height: size.height || 28 },
        { width: view?.innerWidth ?? 1024, height: view?.innerHeight ?? 768 },
      );
      b.style.left = `${place.left}px`;
      b.style.top = `${place.top}px`;
      const { left, top, width, height } = target.rect;
      Object.assign(mark!.style, { left: `${left - 1}px`, top: `${top - 1}px`, width: `${width + 2}px`, height: `${height + 2}px` });
      mark!.toggleAttribute('data-open', true);
      open = true;
    },
    hide() {
      if (!button || !open) return;
      button.toggleAttribute('data-open', false);
      mark?.toggleAttribute('data-open', false);
      open = false;
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
