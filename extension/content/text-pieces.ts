// Walks the text of a subtree in reading order and cuts it into pieces — runs of text a person reads as one line.
import { hasDigits, nonAsciiDigitValue } from '../../shared/phone/fold-text.js';
import { isInlineName, isSkippedElement, isSkippedName, SKIPPING_ATTRIBUTE_SELECTORS } from './skip-rules.js';

/** A line of text made of consecutive text nodes, whitespace collapsed, with a map back to the nodes. */
export interface TextPiece {
  text: string;
  nodes: Text[];
  /** Where each node's text starts in `text`. */
  starts: number[];
  /** For nodes whose whitespace was collapsed, the raw offset of each collapsed character (plus one past the end). */
  maps: (Int32Array | null)[];
  /** The first node's parent element, when the walk read it already (saves the scanner a DOM call per number). */
  parent?: Element;
}

export interface WalkHooks {
  /** Called for every element that hosts a shadow root (open, or closed through chrome.dom). */
  onShadowRoot?(root: ShadowRoot, host: Element): void;
  /** Called for the <a> elements the walker met (tel: links). */
  onElement?(el: Element): void;
  /** Finds a shadow root, closed ones included. */
  shadowRootOf?(el: Element): ShadowRoot | null;
  /** Elements to leave out entirely (the extension's own overlay). */
  exclude?: ReadonlySet<Node>;
  /**
   * A number that changes whenever the page's DOM may have changed (the scanner's MutationObserver counts its
   * callbacks). Given, the walk reads the text of the whole root at once and each node's only by its length.
   */
  domVersion?(): number;
}

const HAS_WHITESPACE_RUN = /[\t\n\r\f]| {2}/;
const LEADING_SPACE = /^[ \t\n\r\f]/;
const SPACE_CHAR = /[ \t\n\r\f]/;

/**
 * Collects the text nodes of one line and builds the piece only when the line may hold a number: most lines of a big
 * page (names, e-mails, statuses) have no digits, and for them no string, array or map is made at all.
 */
class PieceBuilder {
  private pending: Text[] = [];
  private digits = 0;
  /** A character at or above U+0660 (where other scripts' digits start) was seen: let mayHoldNumber decide. */
  private wide = false;

  add(node: Text): void {
    const data = node.data;
    if (data.length === 0) return;
    this.pending.push(node);
    if (this.digits >= 7 || this.wide) return;
    for (let i = 0; i < data.length; i++) {
      const c = data.charCodeAt(i);
      if (c >= 48 && c <= 57) this.digits++;
      else if (c >= 0x0660) {
        this.wide = true;
        return;
      }
    }
  }

  private reset(): void {
    this.pending = [];
    this.digits = 0;
    this.wide = false;
  }

  take(): TextPiece | null {
    if (this.pending.length === 0) return null;
    // Fewer than three digits cannot make a number, even a vanity one ("1-800-FLOWERS" has four).
    if (this.digits < 3 && !this.wide) {
      this.reset();
      return null;
    }
    const piece: TextPiece = { text: '', nodes: [], starts: [], maps: [] };
    for (const node of this.pending) collapseInto(piece, node);
    this.reset();
    if (piece.nodes.length === 0 || !mayHoldNumber(piece.text)) return null;
    return piece;
  }
}

/** Appends a text node to a piece, its whitespace collapsed as CSS does (white-space: normal), with a map back. */
function collapseInto(piece: TextPiece, node: Text, data?: string): void {
  let raw = data ?? node.data;
  let map: Int32Array | null = null;
  let dropLeading = false;
  if (piece.text.length === 0 || piece.text.endsWith(' ')) dropLeading = raw.length > 0 && LEADING_SPACE.test(raw);
  if (HAS_WHITESPACE_RUN.test(raw) || dropLeading) {
    const collapsedChars: number[] = [];
    let out = '';
    let i = 0;
    while (i < raw.length) {
      const c = raw[i]!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
        const start = i;
        while (i < raw.length && SPACE_CHAR.test(raw[i]!)) i++;
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
  piece.nodes.push(node);
  piece.starts.push(piece.text.length);
  piece.maps.push(map);
  piece.text += raw;
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

/** The elements attachShadow() accepts besides custom elements. */
const SHADOW_HOSTS = ['article', 'aside', 'blockquote', 'body', 'div', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'main', 'nav', 'p', 'section', 'span'];

/**
 * Elements that may host a shadow root: the standard hosts by one query, custom elements (names with a "-") by XPath,
 * which the engine answers without handing every element to script (a :not(every HTML tag) selector took ~38 ms on a
 * 5,000-row table; this takes ~4 ms).
 */
function shadowHostCandidates(root: ParentNode & Node, doc: Document): Element[] {
  // One query per tag: a single-tag selector is matched by the engine's fast path, a list of 18 is matched element by
  // element against every entry (about 3x the time on a 5,000-row table). Order does not matter to the caller.
  const out: Element[] = [];
  for (const tag of SHADOW_HOSTS) for (const el of root.querySelectorAll(tag)) out.push(el);
  let found: XPathResult | null = null;
  try {
    if (root.nodeType !== 11) found = doc.evaluate(".//*[contains(local-name(), '-')]", root, null, 7 /* ORDERED_NODE_SNAPSHOT_TYPE */, null);
  } catch {
    // jsdom's XPath cannot read local-name() of every node.
  }
  // Shadow roots are no XPath context.
  if (found === null || typeof found.snapshotLength !== 'number') {
    for (const el of root.querySelectorAll('*')) if (el.localName.includes('-')) out.push(el);
    return out;
  }
  for (let i = 0; i < found.snapshotLength; i++) out.push(found.snapshotItem(i) as Element);
  return out;
}

/** How many text nodes the walk reads between two ticks (a point where the scanner may end its slice). */
const NODES_PER_TICK = 256;

/** A number needs 7 digits; a vanity number ("1-888-FIX-PIPE") 3 and capitals. */
const MIN_DIGITS = 7;

/** Digits (of any script) in text[from, to), counted up to `cap`. */
function digitsIn(text: string, from: number, to: number, cap: number): number {
  let digits = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 0x0660 && nonAsciiDigitValue(c) >= 0)) {
      if (++digits >= cap) return digits;
    }
  }
  return digits;
}

/**
 * Whether root.textContent is exactly its Text nodes' data one after the other, as a SHOW_TEXT walk meets them: in an
 * HTML document only foreign content (<svg>, <math>) can hold CDATA sections, which textContent counts and the walk
 * does not. Those subtrees are small (icons): their text is compared node by node. (A script could still move a CDATA
 * section made in an XML document anywhere into the page: no page does that, and it would only hide numbers after it.)
 */
function textContentIsTextNodes(root: ParentNode & Node, doc: Document): boolean {
  if (doc.contentType !== 'text/html') return false;
  for (const foreign of root.querySelectorAll('svg, math')) {
    let length = 0;
    const walker = doc.createTreeWalker(foreign, 4 /* NodeFilter.SHOW_TEXT */);
    for (let t = walker.nextNode() as Text | null; t; t = walker.nextNode() as Text | null) length += t.length;
    if (length !== (foreign.textContent ?? '').length) return false;
  }
  return true;
}

const ISO_DATE = /^\s*(?:19|20)\d\d-[01]\d-[0-3]\d(?:[ T][0-2]\d:[0-5]\d(?::[0-5]\d)?)?\s*$/;

/** Text between the groups of a number split across elements ("212</span> <span>555"): spaces and separators only. */
const SEPARATOR_ONLY = /^[\s()+\-./\u00a0\u2010-\u2013]{0,3}$/;

/** SEPARATOR_ONLY.test(text.slice(from, to)), slicing only text short enough to pass (each of its characters is one unit). */
export function separatorOnly(text: string, from: number, to: number): boolean {
  return to - from <= 3 && SEPARATOR_ONLY.test(text.slice(from, to));
}

/**
 * Yields the pieces of text under `root` that may hold a number, in document order, and null every few hundred text
 * nodes so that a long walk can be sliced. Skipped elements (form fields, code, hidden, data-c2c-ignore…) are left out
 * with their subtrees; shadow roots and <a> elements are reported through hooks, not entered.
 *
 * Most of the cost of a big page's first scan was the walk itself: every element and text node met in script costs a
 * wrapper object and several DOM calls. So the page's own engine finds what may matter: a TreeWalker that shows only
 * text nodes (no script filter: that would call back into script per node), whose data is all that is read, and
 * querySelectorAll() for the elements that can skip a subtree, host a shadow root or be a link. Only a text node with
 * enough digits (or a run of small digit groups beside each other) has its parent looked at; its line, the nearest
 * element that is not inline, is then walked in full, as before, to cut its pieces at the elements that break it.
 */
export function* walkPieces(root: Node, hooks: WalkHooks = {}): Generator<TextPiece | null> {
  if (root.nodeType === 1 && isSkippedElement(root as Element)) return;
  if (root.nodeType === 3) {
    const builder = new PieceBuilder();
    builder.add(root as Text);
    const piece = builder.take();
    if (piece) yield piece;
    return;
  }
  const { exclude, onElement, onShadowRoot, shadowRootOf } = hooks;
  const parentNode = root as ParentNode & Node;
  const mayBeSkipped = new Set<Element>();
  for (const selector of SKIPPING_ATTRIBUTE_SELECTORS) for (const el of parentNode.querySelectorAll(selector)) mayBeSkipped.add(el);
  // `name` is el.localName when the caller read it already (a DOM call saved per element).
  const skipped = (el: Element, name: string = el.localName): boolean =>
    isSkippedName(name) || (mayBeSkipped.has(el) && isSkippedElement(el)) || (exclude !== undefined && exclude.has(el));

  /** Per element: the line it belongs to (itself if not inline, else its parent's line; root for the top), null if skipped. */
  const lineOf = new Map<Node, Node | null>();
  const lineOfElement = (el: Element): Node | null => {
    const known = lineOf.get(el);
    if (known !== undefined) return known;
    const chain: Element[] = [];
    let above: Node | null = root;
    // parentElement is null above an element whose parent is no element (the root when it is a document or shadow root).
    for (let e: Element | null = el; e !== null && e !== root; e = e.parentElement) {
      const cached = lineOf.get(e);
      if (cached !== undefined) {
        above = cached;
        break;
      }
      chain.push(e);
    }
    for (let k = chain.length - 1; k >= 0; k--) {
      const e = chain[k]!;
      const name = e.localName;
      above = above === null || skipped(e, name) ? null : isInlineName(name) ? above : e;
      lineOf.set(e, above);
    }
    return above;
  };

  // Links first (a number in a tel: link's text then replaces the link's entry), then shadow hosts.
  if (onElement) for (const a of parentNode.querySelectorAll('a[href]')) if (lineOfElement(a) !== null) onElement(a);
  const doc = root.nodeType === 9 ? (root as Document) : root.ownerDocument!;
  if (onShadowRoot) {
    const hosts: [Element, ShadowRoot][] = [];
    for (const el of shadowHostCandidates(parentNode, doc)) {
      const name = el.localName;
      const shadow = el.shadowRoot ?? (shadowRootOf !== undefined && (SHADOW_HOSTS.includes(name) || name.includes('-')) ? shadowRootOf(el) : null);
      if (shadow && lineOfElement(el) !== null) hosts.push([el, shadow]);
    }
    // In document order, so their numbers are listed in reading order.
    if (hosts.length > 1) hosts.sort(([a], [b]) => (a.compareDocumentPosition(b) & 4 /* FOLLOWING */ ? -1 : 1));
    for (const [el, shadow] of hosts) onShadowRoot(shadow, el);
    yield null;
  }

  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  // Reading a text node's data from the content script's world makes a string for it: two thirds of the walk's time on
  // a 5,000-row table. The root's textContent is one string, made natively; each node is then its length's worth of it,
  // and only its digits are counted there. Any change to the page (a MutationObserver callback between two slices)
  // ends this for the rest of the walk: every node's data is read again, as before.
  const { domVersion } = hooks;
  let snapshot: string | null = null;
  let version = 0;
  let at = 0;
  if (domVersion && root.nodeType !== 9 && textContentIsTextNodes(parentNode, doc)) {
    version = domVersion();
    snapshot = root.textContent;
  }
  const done = new Set<Node>();
  /** Text nodes with a few digits each, one after the other (a number split into spans), not yet looked at. */
  let streak: Text[] = [];
  let streakDigits = 0;
  let read = 0;
  const lineOfText = (t: Text): Node | null => {
    const p = t.parentNode;
    if (p === null) return null;
    return p === root || p.nodeType !== 1 ? root : lineOfElement(p as Element);
  };
  for (let t = walker.nextNode() as Text | null; t; t = walker.nextNode() as Text | null) {
    if (++read === NODES_PER_TICK) {
      read = 0;
      yield null;
    }
    if (snapshot !== null && domVersion!() !== version) snapshot = null;
    // The node's text is src[from, to): its own data, or its stretch of the root's text. A string of its own is made
    // only for the tests that need one (a regular expression on a short slice costs less than a loop in script).
    let src: string;
    let from: number;
    let to: number;
    if (snapshot === null) {
      src = t.data;
      from = 0;
      to = src.length;
    } else {
      src = snapshot;
      from = at;
      to = at += t.length;
    }
    let digits = digitsIn(src, from, to, MIN_DIGITS);
    let data: string | null = null;
    // A node that is only an ISO date (a table's "Opened" column) adds nothing a number could use: its groups are a date.
    if (digits >= MIN_DIGITS && ISO_DATE.test((data = src.slice(from, to)))) digits = 0;
    let ready: Text[] | null = null;
    let inReady = false;
    if (digits === 0) {
      if (streak.length === 0 || separatorOnly(src, from, to)) continue;
      // A vanity number split across elements ("1-800-<b>FLOWERS</b>"): letters right after the area code's digits.
      if (streakDigits < 3 || !CAPITALS.test((data ??= src.slice(from, to)))) {
        streak = [];
        streakDigits = 0;
        continue;
      }
      ready = streak;
      inReady = true;
      streak = [];
      streakDigits = 0;
    } else if (digits >= MIN_DIGITS || (digits >= 3 && CAPITALS.test((data ??= src.slice(from, to))))) {
      if (streak.length > 0) {
        ready = streak;
        streak = [];
        streakDigits = 0;
      }
    } else {
      streak.push(t);
      streakDigits += digits;
      if (streakDigits < MIN_DIGITS) continue;
      ready = streak;
      inReady = true;
      streak = [];
      streakDigits = 0;
    }
    // The lines of a run of small digit groups first (they come before this node), then this node's line.
    if (ready) {
      for (const small of ready) {
        const line = lineOfText(small);
        if (line !== null && !done.has(line)) {
          done.add(line);
          yield* linePieces(line, lineOfElement);
        }
      }
      if (inReady) continue;
    }
    // The common case (a table cell, a <p> holding only the number): the line is this one text node. Its piece is
    // made here, without the line's walk or an entry in the line map, and no other node can lead to the same line.
    const p = t.parentNode;
    const name = p !== null && p !== root && p.nodeType === 1 ? (p as Element).localName : null;
    if (name !== null && !isInlineName(name) && t.previousSibling === null && t.nextSibling === null) {
      const up = (p as Element).parentElement;
      const above = up === null || up === root ? root : lineOfElement(up);
      if (above === null || skipped(p as Element, name)) continue;
      // Its data is known already (read, or from the root's text): not read from the page again, unless the lines
      // before it were yielded (the page may have changed since).
      const piece = onlyNodePiece(t, ready === null ? (data ?? src.slice(from, to)) : undefined);
      if (piece) {
        piece.parent = p as Element;
        yield piece;
      }
      continue;
    }
    const line = lineOfText(t);
    if (line === null) continue;
    if (!done.has(line)) {
      done.add(line);
      yield* linePieces(line, lineOfElement);
    }
  }
}

/** The piece of a line that is a single text node (null when it cannot hold a number). */
function onlyNodePiece(t: Text, data: string | undefined): TextPiece | null {
  const piece: TextPiece = { text: '', nodes: [], starts: [], maps: [] };
  collapseInto(piece, t, data);
  return piece.nodes.length === 0 || !mayHoldNumber(piece.text) ? null : piece;
}

/**
 * The pieces of one line: a depth-first walk of its subtree that enters inline elements only. A skipped element is left
 * out with its subtree and does not end a piece; any other element that is not inline ends it (its text is its own line).
 */
function* linePieces(line: Node, lineOfElement: (el: Element) => Node | null): Generator<TextPiece> {
  const builder = new PieceBuilder();
  let node: Node | null = line.firstChild;
  while (node) {
    let descend = false;
    const type = node.nodeType;
    if (type === 3) builder.add(node as Text);
    else if (type === 1) {
      const el = node as Element;
      const own = lineOfElement(el);
      if (own !== null) {
        if (own === el) {
          const piece = builder.take();
          if (piece) yield piece;
        } else descend = el.firstChild !== null;
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
      if (!node || node === line) {
        node = null;
        break;
      }
    }
  }
  const last = builder.take();
  if (last) yield last;
}

/** The pieces of text under `root` that may hold a number, in document order (walkPieces without its ticks). */
export function* textPieces(root: Node, hooks: WalkHooks = {}): Generator<TextPiece> {
  for (const piece of walkPieces(root, hooks)) if (piece) yield piece;
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
  // node.length, not node.data.length: reading data makes a copy of the node's text in this world (a string per number).
  if (!map) return { node, offset: Math.min(local, node.length) };
  if (end) return { node, offset: (map[local - 1] ?? 0) + 1 };
  return { node, offset: map[local] ?? node.length };
}
