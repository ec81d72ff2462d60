// Paints offered numbers with the CSS Custom Highlight API; never touches page nodes. In the extension the document's rule
// comes from highlight.css, which Chrome injects before the page is styled: adopting the same rule after a scan restyled a
// 5,000-row table in one ~97 ms frame. Shadow roots (which injected styles cannot reach) get it through adoptedStyleSheets.
// One highlight name only: adding a sheet restyles every element once per highlight name it styles (about 100 ms per
// name on a 5,000-row table), so the number the chip is for is marked by the overlay, not by a second highlight.
// Only numbers near the viewport are in the painted Highlight: Chromium re-validates every range of a highlight on each
// frame after a change, which with thousands of numbers costs a long task per frame.

const HIGHLIGHT_NAME = 'c2c-phone';
/** Numbers the organization may not call (a refused country, a premium-rate number): muted, so they read as not callable. */
const REFUSED_HIGHLIGHT_NAME = 'c2c-phone-refused';

function styles(scope: string): string {
  return `
${scope}::highlight(${HIGHLIGHT_NAME}) { text-decoration: underline dotted rgb(26 115 232); text-decoration-thickness: 2px; }
${scope}::highlight(${REFUSED_HIGHLIGHT_NAME}) { text-decoration: line-through rgb(128 134 139); text-decoration-thickness: 1px; }
@media print { ${scope}::highlight(${HIGHLIGHT_NAME}), ${scope}::highlight(${REFUSED_HIGHLIGHT_NAME}) { text-decoration: none; } }
`;
}

/** How far beyond the viewport numbers are painted already (so a scroll shows them underlined). */
export const PAINT_MARGIN = '100% 0px';

export interface Highlighter {
  /** Whether the browser paints highlights (false in jsdom and old browsers: the Call chip still works). */
  readonly supported: boolean;
  /** Paints `range` while `anchor` (the element holding its text) is near the viewport; muted: as not callable. */
  add(range: Range, anchor: Element, muted?: boolean): void;
  /** Paints a range already added as callable or as not callable (the organization's policy arrived or changed). */
  setMuted(range: Range, muted: boolean): void;
  delete(range: Range): void;
  /** Makes sure our sheet is in this document's or shadow root's adoptedStyleSheets (appended, never replacing). */
  adoptInto(root: Document | ShadowRoot): void;
  clear(): void;
  /**
   * Calls `cb` with each anchor whose box the browser reports as a pixel or less when it first measures it (the
   * IntersectionObserver that decides painting measures every anchor anyway): the scanner then checks whether it is
   * the visually-hidden pattern, with no layout query of its own per number.
   */
  onTinyAnchor?(cb: (anchor: Element) => void): void;
}

interface HighlightApi {
  highlights: { set(name: string, h: unknown): void; delete(name: string): void };
}

type HighlightCtor = new (...ranges: Range[]) => { add(r: Range): void; delete(r: Range): boolean; clear(): void };

function makeSheet(win: Window & typeof globalThis, text: string): CSSStyleSheet | null {
  const SheetClass = (win as unknown as { CSSStyleSheet?: typeof CSSStyleSheet }).CSSStyleSheet;
  if (!SheetClass) return null;
  try {
    const sheet = new SheetClass();
    sheet.replaceSync(text);
    return sheet;
  } catch {
    return null;
  }
}

export function createHighlighter(win: Window & typeof globalThis, options: { documentStyledByManifest?: boolean } = {}): Highlighter {
  const css = (win as unknown as { CSS?: Partial<HighlightApi> }).CSS;
  const HighlightClass = (win as unknown as { Highlight?: HighlightCtor }).Highlight;
  const supported = !!css?.highlights && typeof HighlightClass === 'function';
  if (!supported || !HighlightClass || !css?.highlights) {
    return { supported: false, add() {}, setMuted() {}, delete() {}, adoptInto() {}, clear() {} };
  }
  // In the document the rule sits on the root element and reaches the text through highlight inheritance: a universal
  // ::highlight rule makes adding the sheet cost a much larger style recalculation on big pages.
  const documentSheet = makeSheet(win, styles(':root'));
  const shadowSheet = makeSheet(win, styles(''));
  const registry = css.highlights;
  const callable = new HighlightClass();
  const refused = new HighlightClass();
  registry.set(HIGHLIGHT_NAME, callable);
  // The muted highlight is registered with its first range only: registering a name that a rule styles restyles the
  // page, and most pages have no refused number at all.
  let refusedRegistered = false;
  const muted = new Set<Range>();
  const paintRefused = (r: Range) => {
    if (!refusedRegistered) {
      registry.set(REFUSED_HIGHLIGHT_NAME, refused);
      refusedRegistered = true;
    }
    refused.add(r);
  };
  // Each range is in one of the two highlights, by whether it is muted.
  const painted = {
    add: (r: Range) => (muted.has(r) ? paintRefused(r) : callable.add(r)),
    delete: (r: Range) => {
      callable.delete(r);
      refused.delete(r);
    },
    clear: () => {
      callable.clear();
      refused.clear();
    },
  };

  const rangesOf = new Map<Element, Set<Range>>();
  const anchorOf = new Map<Range, Element>();
  const near = new Set<Element>();
  let tiny: ((anchor: Element) => void) | null = null;
  const IO = (win as unknown as { IntersectionObserver?: typeof IntersectionObserver }).IntersectionObserver;
  const observer = IO
    ? new IO(
        (entries) => {
          for (const e of entries) {
            const ranges = rangesOf.get(e.target);
            const box = e.boundingClientRect;
            if (tiny && ranges && (box.width <= 1 || box.height <= 1)) tiny(e.target);
            if (e.isIntersecting) {
              near.add(e.target);
              if (ranges) for (const r of ranges) painted.add(r);
            } else {
              near.delete(e.target);
              if (ranges) for (const r of ranges) painted.delete(r);
            }
          }
        },
        { rootMargin: PAINT_MARGIN },
      )
    : null;

  return {
    supported: true,
    add(range, anchor, isMuted = false) {
      if (isMuted) muted.add(range);
      else muted.delete(range);
      if (!observer) {
        painted.add(range);
        return;
      }
      anchorOf.set(range, anchor);
      let set = rangesOf.get(anchor);
      if (!set) {
        rangesOf.set(anchor, (set = new Set()));
        observer.observe(anchor);
      }
      set.add(range);
      if (near.has(anchor)) painted.add(range);
    },
    setMuted(range, isMuted) {
      if (muted.has(range) === isMuted) return;
      if (isMuted) muted.add(range);
      else muted.delete(range);
      const anchor = anchorOf.get(range);
      // Repainted only where it is painted now (near the viewport); elsewhere it is painted right when it comes near.
      if (!observer || (anchor && near.has(anchor))) {
        painted.delete(range);
        painted.add(range);
      }
    },
    delete(range) {
      painted.delete(range);
      muted.delete(range);
      const anchor = anchorOf.get(range);
      if (!anchor) return;
      anchorOf.delete(range);
      const set = rangesOf.get(anchor);
      set?.delete(range);
      if (set && set.size === 0) {
        rangesOf.delete(anchor);
        near.delete(anchor);
        observer?.unobserve(anchor);
      }
    },
    adoptInto(root) {
      if (root.nodeType === 9 && options.documentStyledByManifest) return;
      const sheet = root.nodeType === 9 ? documentSheet : shadowSheet;
      if (!sheet) return;
      const current = root.adoptedStyleSheets;
      if (current.includes(sheet)) return;
      root.adoptedStyleSheets = [...current, sheet];
    },
    onTinyAnchor(cb) {
      tiny = cb;
    },
    clear() {
      painted.clear();
      muted.clear();
      observer?.disconnect();
      rangesOf.clear();
      anchorOf.clear();
      near.clear();
    },
  };
}
