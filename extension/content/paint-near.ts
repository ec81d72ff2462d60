// Hands offered numbers to the highlighter only once their element first comes near the viewport, so a big page's far
// numbers cost one IntersectionObserver entry each: no Range made, no highlighter bookkeeping, no paint-set churn.
import { PAINT_MARGIN, type Highlighter } from './highlight.js';
import type { OfferedNumber } from './registry.js';

export class NearPainter {
  private readonly observer: IntersectionObserver | null;
  /** Numbers not handed over yet, by the element that holds their text (one alone, or a list: no Set per element). */
  private readonly waiting = new Map<Element, OfferedNumber | OfferedNumber[]>();
  private readonly anchorOf = new Map<OfferedNumber, Element>();
  /** Numbers the highlighter has (their Range was made for it). */
  private readonly handedOver = new Set<OfferedNumber>();

  constructor(
    win: Window,
    private readonly highlighter: Highlighter,
    /** An element whose box the observer measured as a pixel or less (the visually-hidden pattern's clue). */
    private readonly onTiny: (anchor: Element) => void,
    /** Whether a number is painted as not callable (asked when it is handed to the highlighter). */
    private readonly muted: (n: OfferedNumber) => boolean = () => false,
  ) {
    const IO = (win as unknown as { IntersectionObserver?: typeof IntersectionObserver }).IntersectionObserver;
    this.observer =
      highlighter.supported && IO
        ? new IO((entries) => {
            for (const e of entries) {
              // Far numbers are measured when they come near: no box read (and made) for each of a big page's numbers.
              if (!e.isIntersecting) continue;
              const box = e.boundingClientRect;
              if (box.width <= 1 || box.height <= 1) this.onTiny(e.target);
              this.handOver(e.target);
            }
          }, { rootMargin: PAINT_MARGIN })
        : null;
  }

  add(n: OfferedNumber, anchor: Element): void {
    if (!this.observer) {
      this.handedOver.add(n);
      this.highlighter.add(n.range, anchor, this.muted(n));
      return;
    }
    this.anchorOf.set(n, anchor);
    const known = this.waiting.get(anchor);
    if (known === undefined) {
      this.waiting.set(anchor, n);
      this.observer.observe(anchor);
    } else if (Array.isArray(known)) known.push(n);
    else this.waiting.set(anchor, [known, n]);
  }

  remove(n: OfferedNumber): void {
    if (this.handedOver.delete(n)) {
      this.highlighter.delete(n.range);
      return;
    }
    const anchor = this.anchorOf.get(n);
    if (!anchor) return;
    this.anchorOf.delete(n);
    const known = this.waiting.get(anchor);
    const rest = Array.isArray(known) ? known.filter((k) => k !== n) : [];
    if (rest.length > 0) this.waiting.set(anchor, rest);
    else {
      this.waiting.delete(anchor);
      this.observer?.unobserve(anchor);
    }
  }

  /** Paints the numbers already handed over again as callable or not (the ones still waiting are asked when handed over). */
  repaint(): void {
    for (const n of this.handedOver) this.highlighter.setMuted(n.range, this.muted(n));
  }

  clear(): void {
    this.observer?.disconnect();
    this.waiting.clear();
    this.anchorOf.clear();
    this.handedOver.clear();
  }

  /** From here on the highlighter's own observer paints and unpaints the anchor's numbers as it scrolls. */
  private handOver(anchor: Element): void {
    const known = this.waiting.get(anchor);
    if (known === undefined) return;
    this.waiting.delete(anchor);
    this.observer?.unobserve(anchor);
    for (const n of Array.isArray(known) ? known : [known]) {
      this.anchorOf.delete(n);
      this.handedOver.add(n);
      this.highlighter.add(n.range, anchor, this.muted(n));
    }
  }
}
