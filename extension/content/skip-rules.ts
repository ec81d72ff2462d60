// Which elements hold no readable text for detection: form fields, code, scripts, hidden or opted-out subtrees.

/** Elements whose whole subtree is never scanned. */
const SKIPPED_TAGS = new Set([
  'input', 'textarea', 'select', 'option', 'script', 'style', 'template', 'noscript', 'pre', 'code', 'kbd', 'samp',
  'head', 'title', 'iframe', 'object', 'embed', 'canvas', 'svg', 'math', 'xmp', 'plaintext', 'listing',
]);

/** The attribute a page puts on any element to keep its subtree out of detection. */
export const IGNORE_ATTRIBUTE = 'data-c2c-ignore';

/** Whether an element's subtree must not be scanned (checked without computing styles). */
export function isSkippedElement(el: Element): boolean {
  if (SKIPPED_TAGS.has(el.localName.toLowerCase())) return true;
  // Most elements of a big page have no attributes at all.
  if (!el.hasAttributes()) return false;
  if (el.hasAttribute(IGNORE_ATTRIBUTE) || el.hasAttribute('hidden')) return true;
  const editable = el.getAttribute('contenteditable');
  if (editable !== null && editable.toLowerCase() !== 'false') return true;
  if (el.getAttribute('aria-hidden') === 'true' && el.getAttribute('role') === 'presentation') return true;
  // Reading .style creates a declaration object per element: only for elements that have an inline style.
  if (!el.hasAttribute('style')) return false;
  const style = (el as HTMLElement).style as CSSStyleDeclaration | undefined;
  return !!style && (style.display === 'none' || style.visibility === 'hidden');
}

/**
 * Whether the element is rendered and visible. Uses checkVisibility() where the browser has it (CSS-hidden
 * ancestors included; cheap while styles are clean, which is why the scanner never dirties them mid-scan);
 * elsewhere (jsdom) the attribute rules above and each ancestor's computed display/visibility, so text hidden by a
 * stylesheet class is not offered either.
 */
export function isRendered(el: Element): boolean {
  const check = (el as Element & { checkVisibility?: (o?: object) => boolean }).checkVisibility;
  if (typeof check === 'function') return check.call(el, { visibilityProperty: true, opacityProperty: false });
  const view = el.ownerDocument.defaultView;
  for (let e: Element | null = el; e; e = e.parentElement) {
    if (isSkippedElement(e)) return false;
    if (!view) continue;
    const style = view.getComputedStyle(e);
    if (style.display === 'none' || (e === el && style.visibility === 'hidden')) return false;
  }
  return true;
}

/** Elements that do not break a line of text: a number may run across them. Anything else is a boundary. */
const INLINE_TAGS = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'data', 'dfn', 'em', 'font', 'i', 'label', 'mark', 'q', 's', 'small',
  'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'nobr', 'big', 'tt', 'ins', 'del',
]);

export function isInlineElement(el: Element): boolean {
  const name = el.localName;
  return INLINE_TAGS.has(name) || (name !== name.toLowerCase() && INLINE_TAGS.has(name.toLowerCase()));
}

/** The nearest ancestor that is not inline: text in the same block (and with no boundary between) reads as one line. */
export function nearestBlock(node: Node): Node {
  let p: Node | null = node.parentNode;
  while (p && p.nodeType === 1 && isInlineElement(p as Element)) p = p.parentNode;
  return p ?? node;
}
