// Where the Call chip goes: from every line box of the number (clipped to what is visible of it), beside it where nothing
// readable is there, else above or below, full or icon-only; the page is hit-tested so the chip covers no text or control.

export type Rect = { left: number; top: number; right: number; bottom: number };
export type Size = { width: number; height: number };

export interface ChipPlacement {
  left: number;
  top: number;
  /** The icon-only form (the number stays in its accessible name and title). */
  compact: boolean;
}

/** Space between the number and the chip. */
export const CHIP_GAP = 4;
/** How far along the line above or below the chip may slide to find room. */
const SLIDE_PX = 240;
const SLIDE_STEP = 12;

const width = (r: Rect) => r.right - r.left;
const height = (r: Rect) => r.bottom - r.top;

export function intersects(a: Rect, b: Rect): boolean {
  return a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
}

export function intersect(a: Rect, b: Rect): Rect | null {
  const r = { left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) };
  return r.right - r.left >= 1 && r.bottom - r.top >= 1 ? r : null;
}

/**
 * One box per line from a range's client rects: a number split across elements ("<span>(617)</span> <span>555-0001</span>")
 * has a rect per piece, joined here when they sit on the same line; each is cut to the visible box (an ellipsis cell).
 */
export function lineBoxes(rects: readonly Rect[], clip: Rect): Rect[] {
  const lines: Rect[] = [];
  for (const raw of rects) {
    const r = intersect(raw, clip);
    if (!r) continue;
    const same = lines.find((l) => Math.min(l.bottom, r.bottom) - Math.max(l.top, r.top) > Math.min(height(l), height(r)) / 2);
    if (same) {
      same.left = Math.min(same.left, r.left);
      same.right = Math.max(same.right, r.right);
      same.top = Math.min(same.top, r.top);
      same.bottom = Math.max(same.bottom, r.bottom);
    } else lines.push({ ...r });
  }
  return lines;
}

function slides(anchor: number, w: number, numberWidth: number): number[] {
  const offsets = [0, numberWidth - w];
  for (let d = SLIDE_STEP; d <= SLIDE_PX; d += SLIDE_STEP) offsets.push(d, -d, numberWidth - w + d, numberWidth - w - d);
  return offsets.map((o) => anchor + o);
}

/**
 * The chip's place, in order of preference: to the right of the number's last line, to the left of its first, then the
 * icon-only form beside, then above or below the number (sliding along that line to a free spot), full then compact.
 * `isFree` says whether a box covers nothing readable (text, controls, other numbers). When nothing is free, the compact
 * chip goes beside or above the number anyway: never over the number itself, always on screen.
 */
export function placeChip(lines: readonly Rect[], sizes: { full: Size; compact: Size }, viewport: Size, isFree: (r: Rect) => boolean): ChipPlacement {
  const first = lines[0] ?? { left: 0, top: 0, right: 0, bottom: 0 };
  const last = lines[lines.length - 1] ?? first;
  const all = lines.length > 0 ? lines : [first];
  const span = { left: Math.min(...all.map((l) => l.left)), right: Math.max(...all.map((l) => l.right)) };
  const onScreen = (r: Rect) => r.left >= 0 && r.top >= 0 && r.right <= viewport.width && r.bottom <= viewport.height;
  const clearOfNumber = (r: Rect) => all.every((l) => !intersects(r, l));
  const box = (left: number, top: number, s: Size): Rect => ({ left, top, right: left + s.width, bottom: top + s.height });
  const centredOn = (line: Rect, s: Size) => Math.round(line.top + height(line) / 2 - s.height / 2);

  const candidates = (s: Size, compact: boolean, where: 'beside' | 'around'): ChipPlacement[] => {
    if (where === 'beside') {
      return [
        { left: last.right + CHIP_GAP, top: centredOn(last, s), compact },
        { left: first.left - CHIP_GAP - s.width, top: centredOn(first, s), compact },
      ];
    }
    const above = first.top - CHIP_GAP - s.height;
    const below = last.bottom + CHIP_GAP;
    const out: ChipPlacement[] = [];
    const xsAbove = slides(first.left, s.width, width(first));
    const xsBelow = slides(last.left, s.width, width(last));
    for (let i = 0; i < xsAbove.length; i++) {
      out.push({ left: Math.round(xsAbove[i]!), top: Math.round(above), compact }, { left: Math.round(xsBelow[i]!), top: Math.round(below), compact });
    }
    return out;
  };

  const ordered = [
    ...candidates(sizes.full, false, 'beside'),
    ...candidates(sizes.compact, true, 'beside'),
    ...candidates(sizes.full, false, 'around'),
    ...candidates(sizes.compact, true, 'around'),
  ];
  for (const c of ordered) {
    const r = box(c.left, c.top, c.compact ? sizes.compact : sizes.full);
    if (onScreen(r) && clearOfNumber(r) && isFree(r)) return c;
  }
  // Nothing free: the compact chip where it covers the least (beside, else above/below), clamped to the screen.
  const s = sizes.compact;
  const clamp = (c: ChipPlacement): ChipPlacement => ({
    ...c,
    left: Math.max(0, Math.min(c.left, viewport.width - s.width)),
    top: Math.max(0, Math.min(c.top, viewport.height - s.height)),
  });
  for (const c of [...candidates(s, true, 'beside'), ...candidates(s, true, 'around').slice(0, 2)].map(clamp)) {
    if (clearOfNumber(box(c.left, c.top, s))) return c;
  }
  return clamp({ left: span.right + CHIP_GAP, top: first.top - CHIP_GAP - s.height, compact: true });
}

/** Elements a person reads or works with: the chip must not sit on them (other than the ones holding the number). */
const CONTROLS =
  'a[href], button, input, select, textarea, summary, label, img, svg, video, canvas, iframe, [role="button"], [role="link"], [role="menuitem"], [role="tab"], [role="checkbox"], [contenteditable=""], [contenteditable="true"]';

/** How close (px) to a box's edge its neighbours' text may come: adjacent lines' glyph boxes touch a chip centred on its line. */
const EDGE_SLACK = 3;
/** How many elements of the hit-test stack under each point are read for text (a transparent layer may lie over text). */
const STACK_DEPTH = 4;
const SAMPLE_STEP = 10;

/**
 * The page's side of placement: whether a box on screen covers readable text or a control, by hit-testing points of
 * it (each point once per placement) and reading the text boxes of the elements found there.
 */
export function createSpaceProbe(doc: Document, own: (el: Element) => boolean, numberNodes: readonly Node[]): (r: Rect) => boolean {
  // Engines without hit-testing (jsdom): nothing is known to be there.
  if (typeof doc.elementsFromPoint !== 'function') return () => true;
  const stacks = new Map<string, Element[]>();
  const textBoxes = new Map<Element, Rect[]>();
  const holdsNumber = (el: Element) => numberNodes.some((n) => el === n || el.contains(n));
  const stackAt = (x: number, y: number): Element[] => {
    const key = `${x},${y}`;
    let stack = stacks.get(key);
    if (!stack) {
      stack = [];
      for (const el of doc.elementsFromPoint(x, y)) {
        if (own(el)) continue;
        stack.push(el);
        if (stack.length >= STACK_DEPTH || el === doc.body || el === doc.documentElement) break;
      }
      stacks.set(key, stack);
    }
    return stack;
  };
  const textOf = (el: Element): Rect[] => {
    let boxes = textBoxes.get(el);
    if (!boxes) {
      boxes = [];
      const range = doc.createRange();
      for (const child of el.childNodes) {
        if (child.nodeType !== 3 || !/\S/.test(child.textContent ?? '')) continue;
        range.selectNodeContents(child);
        for (const r of range.getClientRects()) boxes.push({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });
      }
      textBoxes.set(el, boxes);
    }
    return boxes;
  };
  return (r) => {
    const inner = { left: r.left + EDGE_SLACK, top: r.top + EDGE_SLACK, right: r.right - EDGE_SLACK, bottom: r.bottom - EDGE_SLACK };
    const ys = [inner.top + 1, (inner.top + inner.bottom) / 2, inner.bottom - 1].map(Math.round);
    const xs: number[] = [];
    for (let x = inner.left + 1; x < inner.right; x += SAMPLE_STEP) xs.push(Math.round(x));
    xs.push(Math.round(inner.right - 1));
    for (const y of ys) {
      for (const x of xs) {
        const stack = stackAt(x, y);
        const top = stack[0];
        if (!top) continue;
        const control = top.closest(CONTROLS);
        if (control && !holdsNumber(control)) return false;
        for (const el of stack) if (textOf(el).some((t) => intersects(t, inner))) return false;
      }
    }
    return true;
  };
}

/** The element's parent as rendering sees it: through shadow roots to their hosts. */
function parentOf(el: Element): Element | null {
  if (el.parentElement) return el.parentElement;
  const root = el.parentNode as ShadowRoot | null;
  return root && root.host ? root.host : null;
}

/**
 * The box a number can be seen in: the viewport cut by every ancestor that clips its overflow (a cell truncated with an
 * ellipsis, a scrolling list), so the chip and its tint never reach past the "…".
 */
export function visibleBox(node: Node, win: Window): Rect {
  let box: Rect = { left: 0, top: 0, right: win.innerWidth, bottom: win.innerHeight };
  const doc = win.document;
  let el: Element | null = node.nodeType === 1 ? (node as Element) : node.parentElement ?? parentOf(node as unknown as Element);
  for (let depth = 0; el && depth < 64; depth++, el = parentOf(el)) {
    if (el === doc.body || el === doc.documentElement) break;
    const style = win.getComputedStyle(el);
    const clipX = style.overflowX !== 'visible';
    const clipY = style.overflowY !== 'visible';
    if (!clipX && !clipY) continue;
    const r = el.getBoundingClientRect();
    const left = r.left + el.clientLeft;
    const top = r.top + el.clientTop;
    const inner = {
      left: clipX ? left : -Infinity,
      top: clipY ? top : -Infinity,
      right: clipX ? left + (el.clientWidth || r.width) : Infinity,
      bottom: clipY ? top + (el.clientHeight || r.height) : Infinity,
    };
    box = { left: Math.max(box.left, inner.left), top: Math.max(box.top, inner.top), right: Math.min(box.right, inner.right), bottom: Math.min(box.bottom, inner.bottom) };
  }
  return box;
}
