// Which elements hold no readable text for detection: form fields, code, scripts, hidden or opted-out subtrees.

/** Elements whose whole subtree is never scanned. */
const SKIPPED_TAGS = new Set([
  'input', 'textarea', 'select', 'option', 'script', 'style', 'template', 'noscript', 'pre', 'code', 'kbd', 'samp',
  'head', 'title', 'iframe', 'object', 'embed', 'canvas', 'math', 'xmp', 'plaintext', 'listing',
  // Inside SVG only <text> is read: descriptions, metadata and unrendered definitions are not shown.
  'desc', 'metadata', 'defs', 'symbol', 'clipPath', 'mask', 'pattern', 'marker', 'filter',
]);

/** The attribute a page puts on any element to keep its subtree out of detection. */
const IGNORE_ATTRIBUTE = 'data-c2c-ignore';

/** Whether an element's subtree must not be scanned (checked without computing styles). */
export function isSkippedElement(el: Element): boolean {
  // localName is lower case for HTML elements (and camelCase for SVG ones, as listed): no toLowerCase() per element.
  if (isSkippedName(el.localName)) return true;
  // Most elements of a big page have no attributes at all.
  if (!el.hasAttributes()) return false;
  if (el.hasAttribute(IGNORE_ATTRIBUTE) || el.hasAttribute('hidden')) return true;
  const editable = el.getAttribute('contenteditable');
  if (editable !== null && editable.toLowerCase() !== 'false') return true;
  // Hidden from assistive technology: decorative copies, backgrounds behind a modal. The number is not offered there.
  if (el.getAttribute('aria-hidden') === 'true') return true;
  // Reading .style creates a declaration object per element: only for elements that have an inline style.
  if (!el.hasAttribute('style')) return false;
  const style = (el as HTMLElement).style as CSSStyleDeclaration | undefined;
  return !!style && (style.display === 'none' || style.visibility === 'hidden');
}

type CheckVisibility = (o?: { visibilityProperty?: boolean; opacityProperty?: boolean; contentVisibilityAuto?: boolean }) => boolean;

/** One options object for every checkVisibility() call (a number each on a big page). */
const VISIBILITY_OPTIONS = Object.freeze({ visibilityProperty: true, opacityProperty: true });

/**
 * Whether the element is rendered and visible: not display:none, visibility:hidden, opacity:0 (itself or an ancestor),
 * nor inside content-visibility:hidden. Uses checkVisibility() where the browser has it (cheap while styles are clean,
 * which is why the scanner never dirties them mid-scan). Elsewhere (jsdom) the same rules from each ancestor's computed
 * style, and the visually-hidden recipes. In the browser those (a box clipped to a pixel) are found from the boxes the
 * highlighter's IntersectionObserver measures anyway (see clippedToAPixel): a layout query per number cost more than
 * every other check together.
 */
export function isRendered(el: Element): boolean {
  const check = (el as Element & { checkVisibility?: CheckVisibility }).checkVisibility;
  if (typeof check === 'function') return check.call(el, VISIBILITY_OPTIONS);
  const view = el.ownerDocument.defaultView;
  for (let e: Element | null = el; e; e = e.parentElement) {
    if (isSkippedElement(e)) return false;
    if (!view) continue;
    const style = view.getComputedStyle(e);
    if (style.display === 'none' || (e === el && style.visibility === 'hidden') || style.opacity === '0') return false;
    if (e !== el && style.getPropertyValue('content-visibility') === 'hidden') return false;
    if (visuallyHidden(style)) return false;
  }
  return true;
}

export function blockOf(el: Element): Element {
  let e = el;
  while (isInlineElement(e) && e.parentElement) e = e.parentElement;
  return e;
}

/** A box of a pixel or less that clips what overflows it: text inside is in the page for screen readers only. */
export function clippedToAPixel(el: Element): boolean {
  // offsetWidth/offsetHeight (layout sizes, about half the cost of getBoundingClientRect); SVG elements have only the box.
  const html = el as HTMLElement;
  if (typeof html.offsetWidth === 'number') {
    if (html.offsetWidth > 1 && html.offsetHeight > 1) return false;
    // Inline boxes: offsetWidth is their text's; a box of 0 is an inline with no layout (display:contents) or clipped.
  } else {
    const box = el.getBoundingClientRect();
    if (box.width > 1 && box.height > 1) return false;
  }
  // display:contents and empty boxes are not clipping anything: only a box that hides its overflow or is clipped.
  const style = el.ownerDocument.defaultView?.getComputedStyle(el);
  return !!style && style.display !== 'contents' && (style.overflow !== 'visible' || visuallyHidden(style));
}

const ZERO_CLIP = /^rect\(\s*0(?:px)?[\s,]+0(?:px)?[\s,]+0(?:px)?[\s,]+0(?:px)?\s*\)$/;

/** The visually-hidden recipes: clip: rect(0 0 0 0), clip-path: inset(50%), or a 1 px box that hides its overflow. */
function visuallyHidden(style: CSSStyleDeclaration): boolean {
  if (ZERO_CLIP.test(style.clip)) return true;
  const clipPath = style.getPropertyValue('clip-path');
  if (clipPath === 'inset(50%)' || clipPath === 'circle(0px)' || clipPath === 'circle(0)') return true;
  const tiny = (v: string) => v === '0px' || v === '1px' || v === '0';
  return (style.overflow === 'hidden' || style.overflow === 'clip') && (tiny(style.width) || tiny(style.height)) && style.position === 'absolute';
}

/** Whether an element breaks the line between the text on either side: its computed display, or its parent's (flex/grid). */
export function breaksLine(el: Element): boolean {
  const view = el.ownerDocument.defaultView;
  if (!view) return !isInlineElement(el);
  const display = view.getComputedStyle(el).display;
  if (display !== 'inline' && display !== 'contents' && display !== 'inline-block' && display !== '') return true;
  // Browsers blockify flex and grid items (caught above); jsdom does not: ask the parent.
  const parent = el.parentElement;
  if (!parent) return false;
  const outer = view.getComputedStyle(parent).display;
  return outer === 'flex' || outer === 'inline-flex' || outer === 'grid' || outer === 'inline-grid';
}

/** Elements that do not break a line of text: a number may run across them. Anything else is a boundary. */
const INLINE_TAGS = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'data', 'dfn', 'em', 'font', 'i', 'label', 'mark', 'q', 's', 'small',
  'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'nobr', 'big', 'tt', 'ins', 'del', 'wbr',
  // SVG text: its <tspan> and <textPath> runs sit on the line of their <text>.
  'tspan', 'textpath',
]);

export function isInlineElement(el: Element): boolean {
  return isInlineName(el.localName);
}

/** isInlineElement by the element's localName (the walker reads it once per element). */
export function isInlineName(name: string): boolean {
  return INLINE_TAGS.has(name) || (name.charCodeAt(0) < 97 && INLINE_TAGS.has(name.toLowerCase())) || (name === 'textPath');
}

/** Whether an element's subtree is never scanned because of its tag (the check without attributes). */
export function isSkippedName(name: string): boolean {
  return SKIPPED_TAGS.has(name) || (name.charCodeAt(0) < 97 && SKIPPED_TAGS.has(name.toLowerCase()));
}

/**
 * Elements whose attributes may make isSkippedElement() true: the walker asks the page for them, one query per attribute
 * (single-attribute selectors; on the 5,000-row table in a fresh isolated world, median of 5: 5.0 ms against 6.0 ms for
 * the five-entry list in one query).
 */
export const SKIPPING_ATTRIBUTE_SELECTORS = [`[${IGNORE_ATTRIBUTE}]`, '[hidden]', '[contenteditable]', '[aria-hidden]', '[style]'];

/** The nearest ancestor that is not inline: text in the same block (and with no boundary between) reads as one line. */
export function nearestBlock(node: Node): Node {
  let p: Node | null = node.parentNode;
  while (p && p.nodeType === 1 && isInlineElement(p as Element)) p = p.parentNode;
  return p ?? node;
}
