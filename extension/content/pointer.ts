// Shows the Call chip when the pointer rests on, or focus lands on, an offered number; hides it when both leave.
// Keyboard: Tab from a focused number moves focus to its chip (Enter or Space calls), Tab from the chip goes on past
// the number, Shift+Tab or Escape returns to the number. Only the person's own input (isTrusted) opens, moves, focuses
// or closes the chip: a page can dispatch mousemove, keydown and scroll events of its own, and they are ignored.
import type { Highlighter } from './highlight.js';
import type { Overlay } from './overlay.js';
import type { NumberRegistry, OfferedNumber } from './registry.js';
import { telLinkInPath } from './tel-links.js';
import { createSpaceProbe, lineBoxes, visibleBox, type Rect } from './chip-placement.js';

export interface PointerDeps {
  doc: Document;
  registry: NumberRegistry;
  overlay: Overlay;
  highlighter: Highlighter;
  shadowRoots: () => ShadowRoot[];
  /** Why a number may not be offered now (invisible, misleading), or null; the chip never shows for such a number. */
  refuseOffer(n: OfferedNumber): string | null;
  /** How the chip shows a number: the number dialled, formatted for people, and its extension. */
  label(n: OfferedNumber): { text: string; extension?: string };
  /** Why the organization may not call this number (a refused country, a premium-rate number), or null: the chip says so. */
  notCallable?(n: OfferedNumber): string | null;
}

const HIDE_DELAY_MS = 400;
/** How long a chip that only explains (a tel: link that cannot be called) stays. */
const NOTICE_MS = 6000;

/** Whether a point lies on one of a range's boxes (with a pixel of slack). */
function rangeContainsPoint(range: Range, x: number, y: number): boolean {
  for (const r of range.getClientRects()) {
    if (x >= r.left - 1 && x <= r.right + 1 && y >= r.top - 1 && y <= r.bottom + 1) return true;
  }
  return false;
}

interface CaretDoc {
  caretPositionFromPoint?(x: number, y: number, options?: { shadowRoots?: ShadowRoot[] }): { offsetNode: Node; offset: number } | null;
  caretRangeFromPoint?(x: number, y: number): Range | null;
}

function nodeAtPoint(doc: Document, x: number, y: number, shadowRoots: ShadowRoot[]): Node | null {
  const d = doc as unknown as CaretDoc;
  if (typeof d.caretPositionFromPoint === 'function') {
    try {
      return d.caretPositionFromPoint(x, y, { shadowRoots })?.offsetNode ?? null;
    } catch {
      return d.caretPositionFromPoint(x, y)?.offsetNode ?? null;
    }
  }
  return d.caretRangeFromPoint?.(x, y)?.startContainer ?? null;
}

/** Where a number is on screen: every line box of it, cut to the box it can be seen in (engines without Range geometry: its element's box). */
function linesOf(n: OfferedNumber, win: Window): Rect[] {
  const range = n.range as Range & { getClientRects?: () => DOMRectList };
  const first = n.nodes[0]!;
  const clip = visibleBox(first, win);
  if (typeof range.getClientRects === 'function') {
    const rects = [...range.getClientRects()];
    const lines = lineBoxes(rects.length > 0 ? rects : [range.getBoundingClientRect()], clip);
    if (lines.length > 0) return lines;
  }
  const el = first.nodeType === 1 ? (first as Element) : first.parentElement;
  const box = el ? el.getBoundingClientRect() : new DOMRect();
  return [{ left: box.left, top: box.top, right: box.right, bottom: box.bottom }];
}

export class PointerTracker {
  current: OfferedNumber | null = null;
  /** The focusable element whose number the chip shows, when it was reached with the keyboard. */
  private focusOrigin: HTMLElement | null = null;
  private frame = 0;
  private hideTimer = 0;
  private lastX = 0;
  private lastY = 0;
  private readonly win: Window;

  constructor(private readonly deps: PointerDeps) {
    this.win = deps.doc.defaultView!;
  }

  attach(): () => void {
    const { doc } = this.deps;
    const onMove = (e: MouseEvent) => this.onMove(e);
    const onFocus = (e: FocusEvent) => this.onFocus(e);
    const onScroll = (e: Event) => {
      if (e.isTrusted) this.hide();
    };
    const onKey = (e: KeyboardEvent) => this.onKey(e);
    this.win.addEventListener('mousemove', onMove, { capture: true, passive: true });
    doc.addEventListener('focusin', onFocus, { capture: true });
    this.win.addEventListener('scroll', onScroll, { capture: true, passive: true });
    this.win.addEventListener('keydown', onKey, { capture: true });
    return () => {
      this.win.removeEventListener('mousemove', onMove, { capture: true });
      doc.removeEventListener('focusin', onFocus, { capture: true });
      this.win.removeEventListener('scroll', onScroll, { capture: true });
      this.win.removeEventListener('keydown', onKey, { capture: true });
    };
  }

  private onMove(e: MouseEvent): void {
    if (!e.isTrusted) return;
    // Chrome also sends trusted mousemoves with no movement after a layout change: they say nothing of a person's aim.
    if (e.movementX !== 0 || e.movementY !== 0) this.deps.overlay.notePointer(e.clientX, e.clientY);
    this.lastX = e.clientX;
    this.lastY = e.clientY;
    if (this.deps.overlay.contains(e)) {
      this.cancelHide();
      return;
    }
    if (this.frame || this.deps.registry.size === 0) return;
    this.frame = this.win.requestAnimationFrame(() => {
      this.frame = 0;
      this.hitTest(this.lastX, this.lastY);
    });
  }

  /** Finds the offered number under a point, if any. */
  numberAt(x: number, y: number): OfferedNumber | null {
    const { doc, registry } = this.deps;
    const node = nodeAtPoint(doc, x, y, this.deps.shadowRoots());
    if (node) {
      for (const n of registry.numbersAt(node)) if (rangeContainsPoint(n.range, x, y)) return n;
    }
    const el = doc.elementFromPoint(x, y);
    const link = el?.closest('a');
    if (link) for (const n of registry.numbersAt(link)) if (rangeContainsPoint(n.range, x, y)) return n;
    return null;
  }

  private hitTest(x: number, y: number): void {
    const n = this.numberAt(x, y);
    if (n) {
      if (n !== this.current) this.focusOrigin = null;
      this.show(n);
    } else if (this.current && !this.deps.overlay.hasFocus()) this.scheduleHide();
  }

  private onFocus(e: FocusEvent): void {
    if (!e.isTrusted || this.deps.overlay.contains(e)) return;
    const link = telLinkInPath(e);
    const target = link ?? (e.composedPath()[0] as Node | undefined);
    if (!target) return;
    const n = this.firstNumberIn(target);
    if (!n) {
      // Focus moved on to something else: a chip opened from the keyboard follows it away.
      if (this.focusOrigin) this.hide();
      return;
    }
    this.show(n);
    this.focusOrigin = target.nodeType === 1 && typeof (target as HTMLElement).focus === 'function' ? (target as HTMLElement) : null;
  }

  private onKey(e: KeyboardEvent): void {
    if (!e.isTrusted) return;
    const { overlay } = this.deps;
    const origin = this.focusOrigin;
    const plain = !e.altKey && !e.ctrlKey && !e.metaKey;
    if (overlay.contains(e)) {
      if (!origin) {
        if (e.key === 'Escape') this.hide();
        return;
      }
      if (e.key === 'Escape' || (e.key === 'Tab' && e.shiftKey && plain)) {
        e.preventDefault();
        origin.focus({ preventScroll: true });
        if (e.key === 'Escape') this.hide();
      } else if (e.key === 'Tab' && plain) {
        // Back on the number before the browser moves focus: Tab goes on to whatever follows the number.
        origin.focus({ preventScroll: true });
        this.hide();
      }
      return;
    }
    if (e.key === 'Escape') {
      this.hide();
      return;
    }
    if (e.key === 'Tab' && !e.shiftKey && plain && origin && overlay.isOpen() && this.isFocused(origin)) {
      e.preventDefault();
      overlay.focus();
    }
  }

  private isFocused(el: HTMLElement): boolean {
    let active: Element | null = this.deps.doc.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active === el || (active !== null && el.contains(active));
  }

  private firstNumberIn(target: Node): OfferedNumber | null {
    const { registry, doc } = this.deps;
    const direct = registry.numbersAt(target)[0];
    if (direct) return direct;
    if (target.nodeType !== 1) return null;
    const walker = doc.createTreeWalker(target, 0x1 | 0x4);
    for (let i = 0, n = walker.nextNode(); n && i < 500; i++, n = walker.nextNode()) {
      const found = registry.numbersAt(n)[0];
      if (found) return found;
    }
    return null;
  }

  show(n: OfferedNumber): void {
    this.cancelHide();
    if (this.deps.refuseOffer(n)) {
      if (this.current) this.hide();
      return;
    }
    const lines = linesOf(n, this.win);
    const { doc, overlay } = this.deps;
    const isFree = createSpaceProbe(doc, (el) => el === overlay.host, n.nodes);
    // Shown again for the same number at the same place: the chip keeps how long it has been seen.
    this.current = n;
    this.deps.highlighter.adoptInto(n.root);
    const refusal = this.deps.notCallable?.(n) ?? null;
    overlay.show({ ...this.deps.label(n), lines, isFree, ...(refusal ? { refusal } : {}) });
  }

  /** Shows, at an element (a tel: link), a chip that only says why it cannot be called. */
  explain(el: Element, sentence: string): void {
    this.hide();
    const r = el.getBoundingClientRect();
    const clip = visibleBox(el, this.win);
    const lines = lineBoxes([...el.getClientRects()].length > 0 ? [...el.getClientRects()] : [r], clip);
    const { doc, overlay } = this.deps;
    overlay.notice({ lines: lines.length > 0 ? lines : [r], isFree: createSpaceProbe(doc, (e) => e === overlay.host, [el]), sentence });
    this.hideTimer = this.win.setTimeout(() => {
      this.hideTimer = 0;
      this.hide();
    }, NOTICE_MS);
  }

  scheduleHide(): void {
    if (this.hideTimer) return;
    this.hideTimer = this.win.setTimeout(() => {
      this.hideTimer = 0;
      this.hide();
    }, HIDE_DELAY_MS);
  }

  private cancelHide(): void {
    if (this.hideTimer) this.win.clearTimeout(this.hideTimer);
    this.hideTimer = 0;
  }

  hide(): void {
    this.cancelHide();
    this.current = null;
    this.focusOrigin = null;
    this.deps.overlay.hide();
  }
}
