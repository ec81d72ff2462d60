// Hands offered numbers to the highlighter only once their element first comes near the viewport, so a big page's far
// numbers cost one IntersectionObserver entry each: no Range made, no highlighter bookkeeping, no paint-set churn.
import { PAINT_MARGIN, type Highlighter } from './highlight.js';
import type { OfferedNumber } from './registry.js';

export class NearPainter {
  private readonly observer: IntersectionObserver | null;
  /** Numbers not handed over yet, by the element that holds their text. */
  private readonly waiting = new Map<Element, Set<OfferedNumber>>();
  private readonly anchorOf = new Map<OfferedNumber, Element>();
  /** Numbers the highlighter has (their Range was made for it). */
  private readonly handedOver = new Set<OfferedNumber>();

  constructor(
    win: Window,
    private readonly highlighter: Highlighter,
    /** An element whose box the observer measured as a pixel or less (the visually-hidden pattern's clue). */
    private readonly onTiny: (anchor: Element) => void,
  ) {
    const IO = (win as unknown as { IntersectionObserver?: typeof IntersectionObserver }).IntersectionObserver;
    this.observer =
      highlighter.supported && IO
        ? new IO((entries) => {
            for (const e of entries) {
              const box = e.boundingClientRect;
              if (box.width <= 1 || box.height <= 1) this.onTiny(e.target);
              if (e.isIntersecting) this.handOver(e.target);
            }
          }, { rootMargin: PAINT_MARGIN })
        : null;
  }

  add(n: OfferedNumber, anchor: Element): void {
    if (!this.observer) {
      this.handedOver.add(n);
      this.highlighter.add(n.range, anchor);
      return;
    }
    this.anchorOf.set(n, anchor);
    let set = this.waiting.get(anchor);
    if (!set) {
      this.waiting.set(anchor, (set = new Set()));
      this.observer.observe(anchor);
    }
    set.add(n);
  }

  remove(n: OfferedNumber): void {
    if (this.handedOver.delete(n)) {
      this.highlighter.delete(n.range);
      return;
    }
    const anchor = this.anchorOf.get(n);
    if (!anchor) return;
    this.anchorOf.delete(n);
    const set = this.waiting.get(anchor);
    set?.delete(n);
    if (set && set.size === 0) {
      this.waiting.delete(anchor);
      this.observer?.unobserve(anchor);
    }
  }

  clear(): void {
    this.observer?.disconnect();
    this.waiting.clear();
    this.anchorOf.clear();
    this.handedOver.clear();
  }

  /** From here on the highlighter's own observer paints and unpaints the anchor's numbers as it scrolls. */
  private handOver(anchor: Element): void {
    const set = this.waiting.get(anchor);
    if (!set) return;
    this.waiting.delete(anchor);
    this.observer?.unobserve(anchor);
    for (const n of set) {
      this.anchorOf.delete(n);
      this.handedOver.add(n);
      this.highlighter.add(n.range, anchor);
    }
  }
}
