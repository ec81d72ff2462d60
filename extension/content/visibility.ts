// Whether a person can see a number, and whether our chip is really on screen: the rules a click must pass before it dials.

/** Why something is not visible, as a sentence for the agent; null when it is. */
export type Invisibility = string | null;

/** The smallest box a person can read a number in (CSS px): a 1 px "visually hidden" clip is far below it. */
const MIN_READABLE_PX = 4;
/** Below this combined opacity text is no longer readable against a background; the page may fade a number out. */
const MIN_READABLE_OPACITY = 0.5;

interface StyleSource {
  getComputedStyle(el: Element): CSSStyleDeclaration;
}

/** The element's parent in the flattened tree: through slots' hosts and shadow roots, as rendering sees it. */
function renderParent(el: Element): Element | null {
  if (el.assignedSlot) return el.assignedSlot;
  if (el.parentElement) return el.parentElement;
  const root = el.parentNode;
  return root && (root as ShadowRoot).host ? (root as ShadowRoot).host : null;
}

/** A clip that leaves (almost) nothing: `clip: rect(0 0 0 0)`, `clip-path: inset(50%)` and the like. */
function clipsToNothing(style: CSSStyleDeclaration): boolean {
  const clip = style.clip;
  if (clip && clip !== 'auto') {
    const nums = (clip.match(/-?[\d.]+/g) ?? []).map(Number);
    if (nums.length === 4) {
      const [top, right, bottom, left] = nums as [number, number, number, number];
      if (right - left < MIN_READABLE_PX || bottom - top < MIN_READABLE_PX) return true;
    }
  }
  const path = style.clipPath;
  if (path && path !== 'none') {
    const inset = /^inset\(\s*(\d+(?:\.\d+)?)%/.exec(path);
    if (inset && Number(inset[1]) >= 40) return true;
    if (/^(?:circle|ellipse)\(\s*0(?:px|%)?[\s)]/.test(path)) return true;
  }
  return false;
}

/**
 * A box a pixel or less wide or tall that hides what overflows it: the visually-hidden recipe without a clip
 * (`width: 1px; height: 1px; overflow: hidden`), or a collapsed panel. Text inside, inline or not, is not seen.
 */
function clippedToTinyBox(style: CSSStyleDeclaration): boolean {
  const tiny = (size: string) => Number.parseFloat(size) <= 1;
  // jsdom leaves overflow-x/-y "visible" under an "overflow: hidden" shorthand: the shorthand counts too (in Chromium a
  // hidden axis makes the other one auto, so either way both axes clip).
  const hides = (axis: string) => (axis !== '' && axis !== 'visible') || /hidden|clip|auto|scroll/.test(style.overflow);
  return (tiny(style.width) && hides(style.overflowX)) || (tiny(style.height) && hides(style.overflowY));
}

/** A colour with no alpha left (`transparent`, `rgba(…, 0)`). */
function transparentColour(colour: string): boolean {
  if (colour === 'transparent') return true;
  const m = /^rgba?\(([^)]*)\)$/.exec(colour.trim());
  if (!m) return false;
  const parts = m[1]!.split(/[\s,/]+/).filter(Boolean);
  return parts.length === 4 && Number.parseFloat(parts[3]!) === 0;
}

/**
 * Whether the element a number sits in is rendered so a person can read it, from computed styles up the flattened tree:
 * not display:none or content-visibility:hidden, not visibility:hidden, not faded below MIN_READABLE_OPACITY, not
 * clipped to nothing, not transparent text or zero-size font, not hidden from assistive technology with aria-hidden.
 */
export function elementInvisibility(el: Element, styles: StyleSource): Invisibility {
  const own = styles.getComputedStyle(el);
  if (own.visibility === 'hidden' || own.visibility === 'collapse') return 'The number is hidden on the page.';
  if (transparentColour(own.color)) return 'The number is drawn in an invisible colour.';
  if (Number.parseFloat(own.fontSize) < MIN_READABLE_PX) return 'The number is too small to read.';
  let opacity = 1;
  for (let node: Element | null = el; node; node = renderParent(node)) {
    const style = node === el ? own : styles.getComputedStyle(node);
    if (style.display === 'none' || style.contentVisibility === 'hidden') return 'The number is hidden on the page.';
    opacity *= Number.parseFloat(style.opacity || '1');
    if (opacity < MIN_READABLE_OPACITY) return 'The number is transparent on the page.';
    if (clipsToNothing(style) || clippedToTinyBox(style)) return 'The number is clipped out of sight.';
    if (/\bopacity\(\s*0(?:\.[0-4]\d*)?\s*\)/.test(style.filter)) return 'The number is transparent on the page.';
    if (node.getAttribute('aria-hidden') === 'true') return 'The number is hidden from assistive technology, so it is not offered.';
  }
  return null;
}

interface RectLike {
  left: number;
  top: number;
  right: number;
  bottom: number;
  width: number;
  height: number;
}

/**
 * Whether a number's boxes (its Range's client rects) are where a person can see them: large enough to read and, when
 * `viewport` is given, at least partly inside it. `scroll` is the document's scroll offset: a box placed in negative
 * document space (left: -9999px) can never be scrolled to, while one further down the page only needs scrolling.
 */
export function boxesInvisibility(rects: readonly RectLike[], scroll: { x: number; y: number }, viewport?: { width: number; height: number }): Invisibility {
  const readable = rects.filter((r) => r.width >= MIN_READABLE_PX && r.height >= MIN_READABLE_PX);
  if (readable.length === 0) return 'The number takes no room on the page.';
  if (readable.every((r) => r.right + scroll.x <= 0 || r.bottom + scroll.y <= 0)) return 'The number is placed off the page.';
  if (viewport && readable.every((r) => r.right <= 0 || r.bottom <= 0 || r.left >= viewport.width || r.top >= viewport.height)) {
    return 'The number is not on screen.';
  }
  return null;
}

/** The element that holds a text node (or the node itself when it is an element). */
function holderOf(node: Node): Element | null {
  return node.nodeType === 1 ? (node as Element) : node.parentElement;
}

/** Why a number cannot be offered to a person: hidden by style, clipped, off the page (or off screen, given the viewport). */
export function numberInvisibility(
  n: { range: { getClientRects?(): ArrayLike<RectLike> & Iterable<RectLike> }; nodes: readonly Node[] },
  win: Pick<Window, 'getComputedStyle' | 'scrollX' | 'scrollY' | 'innerWidth' | 'innerHeight'>,
  onScreen: boolean,
): Invisibility {
  for (const node of n.nodes) {
    const el = holderOf(node);
    if (!el) return 'The number is not on the page.';
    const why = elementInvisibility(el, win);
    if (why) return why;
  }
  // Engines without layout (jsdom) have no Range geometry: only the style rules apply there.
  if (typeof n.range.getClientRects !== 'function') return null;
  return boxesInvisibility([...n.range.getClientRects()], { x: win.scrollX, y: win.scrollY }, onScreen ? { width: win.innerWidth, height: win.innerHeight } : undefined);
}

/**
 * Whether the overlay host is drawn as we made it: still in the document, a child of the root element, and neither it
 * nor the root element made transparent, hidden, filtered, clipped or transformed by the page. The page owns these
 * elements and can restyle them at will, so this is read from computed styles at the moment of the click.
 */
export function overlayInvisibility(host: Element, styles: StyleSource): Invisibility {
  const doc = host.ownerDocument;
  if (!host.isConnected || host.parentNode !== doc.documentElement) return 'The Call button was moved by the page.';
  // In the top layer (the popover is open) the root element's opacity, filter or transform no longer reach the chip, so
  // a page styled that way (a dark-mode filter on <html>) keeps working; only the host itself is then looked at.
  let inTopLayer = false;
  try {
    inTopLayer = host.matches(':popover-open');
  } catch {
    // An engine without popovers: both are looked at.
  }
  for (const el of inTopLayer ? [host] : [host, doc.documentElement]) {
    const style = styles.getComputedStyle(el);
    if (style.display === 'none' || style.visibility !== 'visible' || style.contentVisibility === 'hidden') return 'The page hid the Call button.';
    if (Number.parseFloat(style.opacity || '1') < 1) return 'The page made the Call button transparent.';
    if (style.filter && style.filter !== 'none') return 'The page put a filter over the Call button.';
    if (el === host && ((style.transform && style.transform !== 'none') || (style.clipPath && style.clipPath !== 'none') || clipsToNothing(style))) {
      return 'The page distorted the Call button.';
    }
    if (el === host && style.mixBlendMode && style.mixBlendMode !== 'normal') return 'The page blended the Call button into the page.';
  }
  return null;
}
