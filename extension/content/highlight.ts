// Paints offered numbers with the CSS Custom Highlight API, styles added through adoptedStyleSheets; never touches page nodes.

export const HIGHLIGHT_NAME = 'c2c-phone';
export const ACTIVE_HIGHLIGHT_NAME = 'c2c-phone-active';

const STYLES = `
::highlight(${HIGHLIGHT_NAME}) { text-decoration: underline dotted rgb(26 115 232); text-decoration-thickness: 2px; }
::highlight(${ACTIVE_HIGHLIGHT_NAME}) { background-color: rgb(26 115 232 / 0.15); }
@media print { ::highlight(${HIGHLIGHT_NAME}), ::highlight(${ACTIVE_HIGHLIGHT_NAME}) { text-decoration: none; background-color: transparent; } }
`;

export interface Highlighter {
  /** Whether the browser paints highlights (false in jsdom and old browsers: the Call chip still works). */
  readonly supported: boolean;
  add(range: Range): void;
  delete(range: Range): void;
  setActive(range: Range | null): void;
  /** Makes sure our sheet is in this document's or shadow root's adoptedStyleSheets (appended, never replacing). */
  adoptInto(root: Document | ShadowRoot): void;
  clear(): void;
}

interface HighlightApi {
  highlights: { set(name: string, h: unknown): void; delete(name: string): void };
}

type HighlightCtor = new (...ranges: Range[]) => { add(r: Range): void; delete(r: Range): boolean; clear(): void };

export function createHighlighter(win: Window & typeof globalThis): Highlighter {
  const css = (win as unknown as { CSS?: Partial<HighlightApi> }).CSS;
  const HighlightClass = (win as unknown as { Highlight?: HighlightCtor }).Highlight;
  const supported = !!css?.highlights && typeof HighlightClass === 'function';
  const SheetClass = (win as unknown as { CSSStyleSheet?: typeof CSSStyleSheet }).CSSStyleSheet;
  let sheet: CSSStyleSheet | null = null;
  if (supported && SheetClass) {
    try {
      sheet = new SheetClass();
      sheet.replaceSync(STYLES);
    } catch {
      sheet = null;
    }
  }
  if (!supported || !HighlightClass || !css?.highlights) {
    return { supported: false, add() {}, delete() {}, setActive() {}, adoptInto() {}, clear() {} };
  }
  const registry = css.highlights;
  const all = new HighlightClass();
  const active = new HighlightClass();
  registry.set(HIGHLIGHT_NAME, all);
  registry.set(ACTIVE_HIGHLIGHT_NAME, active);
  return {
    supported: true,
    add: (r) => all.add(r),
    delete: (r) => {
      all.delete(r);
      active.delete(r);
    },
    setActive(r) {
      active.clear();
      if (r) active.add(r);
    },
    adoptInto(root) {
      if (!sheet) return;
      const current = root.adoptedStyleSheets;
      if (current.includes(sheet)) return;
      root.adoptedStyleSheets = [...current, sheet];
    },
    clear() {
      all.clear();
      active.clear();
    },
  };
}
