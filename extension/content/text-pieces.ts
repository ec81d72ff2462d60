// Walks the text of a subtree in reading order and cuts it into pieces — runs of text a person reads as one line.
import { hasDigits } from '../../shared/phone/fold-text.js';
import { isInlineElement, isSkippedElement } from './skip-rules.js';

/** A line of text made of consecutive text nodes, whitespace collapsed, with a map back to the nodes. */
export interface TextPiece {
  text: string;
  nodes: Text[];
  /** Where each node's text starts in `text`. */
  starts: number[];
  /** For nodes whose whitespace was collapsed, the raw offset of each collapsed character (plus one past the end). */
  maps: (Int32Array | null)[];
}

export interface WalkHooks {
  /** Called for every element that hosts a shadow root (open, or closed through chrome.dom). */
  onShadowRoot?(root: ShadowRoot, host: Element): void;
  /** Called for elements the walker met (tel: links). */
  onElement?(el: Element): void;
  /** Finds a shadow root, closed ones included. */
  shadowRootOf?(el: Element): ShadowRoot | null;
  /** Elements to leave out entirely (the extension's own overlay). */
  exclude?: ReadonlySet<Node>;
}

const HAS_WHITESPACE_RUN = /[\t\n\r\f]| {2}/;

class PieceBuilder {
  text = '';
  nodes: Text[] = [];
  starts: number[] = [];
  maps: (Int32Array | null)[] = [];

  add(node: Text): void {
    let raw = node.data;
    let map: Int32Array | null = null;
    let dropLeading = false;
    if (this.text.length === 0 || this.text.endsWith(' ')) dropLeading = raw.length > 0 && /^[ \t\n\r\f]/.test(raw);
    if (HAS_WHITESPACE_RUN.test(raw) || dropLeading) {
      const collapsedChars: number[] = [];
      let out = '';
      let i = 0;
      while (i < raw.length) {
        const c = raw[i]!;
        if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
          const start = i;
          while (i < raw.length && /[ \t\n\r\f]/.test(raw[i]!)) i++;
          if (!(start === 0 && dropLeading)) {
            out += ' ';
            collapsedChars.push(start);
          }
        } else {
          out += c;
          collapsedChars.push(i);
          i++;
        }
      }
      collapsedChars.push(raw.length);
      map = Int32Array.from(collapsedChars);
      raw = out;
    }
    if (raw.length === 0) return;
    this.nodes.push(node);
    this.starts.push(this.text.length);
    this.maps.push(map);
    this.text += raw;
  }

  take(): TextPiece | null {
    if (this.nodes.length === 0) return null;
    const piece: TextPiece = { text: this.text, nodes: this.nodes, starts: this.starts, maps: this.maps };
    this.text = '';
    this.nodes = [];
    this.starts = [];
    this.maps = [];
    return piece;
  }
}

/** Three capitals in a row: a vanity number ("1-888-FIX-PIPE") has only its area code in digits. */
const CAPITALS = /[A-Z]{3}/;

/** Whether a piece has enough digits (of any script) to hold a phone number (the cheap test before detection). */
export function mayHoldNumber(text: string): boolean {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57 && ++digits >= 7) return true;
    // Full-width, Arabic-Indic, Persian… digits: counted by the slower test.
    if (c >= 0x0660) return hasDigits(text, 7) || (hasDigits(text, 3) && CAPITALS.test(text));
  }
  return digits >= 3 && CAPITALS.test(text);
}

/** What the walker needs to know of the page's styles to cut a piece where CSS does (given by the scanner). */
export interface RenderingProbe {
  /** Whether the text of this element is rendered at all (display, visibility, opacity, clip…). */
  shown(el: Element): boolean;
  /** Whether this element, crossed between two text nodes, breaks the line: a block, or a flex or grid item. */
  breaksLine(el: Element): boolean;
}

function slicePiece(piece: TextPiece, keep: number[]): TextPiece {
  const out: TextPiece = { text: '', nodes: [], starts: [], maps: [] };
  for (const k of keep) {
    const from = piece.starts[k]!;
    const to = k + 1 < piece.starts.length ? piece.starts[k + 1]! : piece.text.length;
    out.nodes.push(piece.nodes[k]!);
    out.starts.push(out.text.length);
    out.maps.push(piece.maps[k]!);
    out.text += piece.text.slice(from, to);
  }
  return out;
}

/** Elements entered or left between two text nodes of one piece (their ancestors below the common one). */
function crossedBetween(a: Node, b: Node): Element[] {
  const up: Element[] = [];
  for (let p = a.parentElement; p; p = p.parentElement) {
    if (p.contains(b)) break;
    up.push(p);
  }
  const stop = up.length > 0 ? up[up.length - 1]!.parentElement : a.parentElement;
  for (let p = b.parentElement; p && p !== stop; p = p.parentElement) up.push(p);
  return up;
}

/**
 * Cuts a piece the tag-based walk made where the page's CSS says otherwise: text nodes the page hides by a stylesheet
 * class ("415-555-<span class=x>99</span>0142") are left out, and adjacent flex or grid items ("<span>Call</span><span>
 * 415…</span>" in a flex row) become separate pieces. Only pieces of several nodes that may hold a number get here, so
 * a page pays the computed-style reads only around candidate numbers.
 */
export function splitByRendering(piece: TextPiece, probe: RenderingProbe): TextPiece[] {
  const pieces: TextPiece[] = [];
  let keep: number[] = [];
  let last: Node | null = null;
  const shown = new Map<Element, boolean>();
  for (let k = 0; k < piece.nodes.length; k++) {
    const node = piece.nodes[k]!;
    const parent = node.parentElement;
    if (parent) {
      let visible = shown.get(parent);
      if (visible === undefined) shown.set(parent, (visible = probe.shown(parent)));
      if (!visible) continue;
    }
    if (last && crossedBetween(last, node).some((el) => probe.breaksLine(el))) {
      pieces.push(slicePiece(piece, keep));
      keep = [];
    }
    keep.push(k);
    last = node;
  }
  if (keep.length > 0) pieces.push(keep.length === piece.nodes.length ? piece : slicePiece(piece, keep));
  return pieces;
}

/**
 * Yields the pieces of text under `root` in document order. Skipped elements (form fields, code, hidden,
 * data-c2c-ignore…) are left out with their subtrees; shadow roots are reported through hooks, not entered.
 */
export function* textPieces(root: Node, hooks: WalkHooks = {}): Generator<TextPiece> {
  if (root.nodeType === 1 && isSkippedElement(root as Element)) return;
  const builder = new PieceBuilder();
  if (root.nodeType === 3) {
    builder.add(root as Text);
    const piece = builder.take();
    if (piece) yield piece;
    return;
  }
  // A plain depth-first walk (firstChild / nextSibling): a TreeWalker with a script filter calls back into script for
  // every node, which was the largest cost of a big page's first scan. Entering or leaving an element that is not
  // inline ends the current piece; skipped elements are left out with their subtrees and do not end it.
  let node: Node | null = root.firstChild;
  while (node) {
    let descend = false;
    if (node.nodeType === 3) builder.add(node as Text);
    else if (node.nodeType === 1) {
      const el = node as Element;
      if (!hooks.exclude?.has(el) && !isSkippedElement(el)) {
        hooks.onElement?.(el);
        const shadow = el.shadowRoot ?? hooks.shadowRootOf?.(el) ?? null;
        if (shadow) hooks.onShadowRoot?.(shadow, el);
        if (!isInlineElement(el)) {
          const piece = builder.take();
          if (piece) yield piece;
        }
        descend = el.firstChild !== null;
      }
    }
    if (descend) {
      node = node.firstChild;
      continue;
    }
    for (;;) {
      const next: Node | null = node!.nextSibling;
      if (next) {
        node = next;
        break;
      }
      node = node!.parentNode;
      if (!node || node === root) {
        node = null;
        break;
      }
      if (node.nodeType === 1 && !isInlineElement(node as Element)) {
        const piece = builder.take();
        if (piece) yield piece;
      }
    }
  }
  const last = builder.take();
  if (last) yield last;
}

/** Maps an offset in a piece's text back to a text node and an offset in its data. `end` picks the node before a seam. */
export function locate(piece: TextPiece, offset: number, end: boolean): { node: Text; offset: number } {
  let lo = 0;
  let hi = piece.starts.length - 1;
  const target = end ? offset - 1 : offset;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (piece.starts[mid]! <= target) lo = mid;
    else hi = mid - 1;
  }
  const node = piece.nodes[lo]!;
  const local = offset - piece.starts[lo]!;
  const map = piece.maps[lo];
  if (!map) return { node, offset: Math.min(local, node.data.length) };
  if (end) return { node, offset: (map[local - 1] ?? 0) + 1 };
  return { node, offset: map[local] ?? node.data.length };
}
