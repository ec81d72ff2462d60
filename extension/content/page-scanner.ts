// Finds the numbers of a document (and its shadow roots), keeps them current through a MutationObserver, and highlights them.
import type { CountryCode } from 'libphonenumber-js/max';
import { detectPhoneNumbers, type PhoneMatch } from '../../shared/phone/detect.js';
import { isIdentifierHeader } from '../../shared/phone/look-alikes.js';
import type { Highlighter } from './highlight.js';
import { IdleQueue, type IdleQueueOptions } from './idle-queue.js';
import { NearPainter } from './paint-near.js';
import { NumberRegistry, type OfferedNumber } from './registry.js';
import { blockOf, breaksLine, clippedToAPixel, isInlineElement, isInlineName, isRendered, isSkippedElement, nearestBlock } from './skip-rules.js';
import { telHrefToNumber } from './tel-links.js';
import { locate, mayHoldNumber, splitByRendering, walkPieces, type RenderingProbe, type TextPiece, type WalkHooks } from './text-pieces.js';

export interface ScannerOptions {
  defaultCountry: CountryCode;
  /** Whether a number is one the organization may not call (painted muted); asked again on repaint(). */
  notCallable?(n: OfferedNumber): boolean;
  highlighter: Highlighter;
  /** Closed shadow roots too (chrome.dom.openOrClosedShadowRoot in the extension). */
  shadowRootOf?: (el: Element) => ShadowRoot | null;
  /** Our own nodes, never scanned nor observed. */
  ownNodes: () => ReadonlySet<Node>;
  queue?: Partial<IdleQueueOptions>;
  onFirstScan?(stats: { workMs: number; wallMs: number; longestSliceMs: number; slices: number; numbers: number }): void;
  onUpdate?(): void;
  /** Every time queued work runs dry after the first scan: the work it took. */
  onDrained?(stats: { workMs: number; longestSliceMs: number; slices: number; numbers: number }): void;
}

const OBSERVED_ATTRIBUTES = ['hidden', 'style', 'class', 'href', 'data-c2c-ignore', 'contenteditable', 'open', 'aria-hidden'];
const MAX_PENDING = 2000;
const PIECES_PER_STEP = 8;

function rootOf(node: Node): Document | ShadowRoot {
  const root = node.getRootNode();
  return (root.nodeType === 9 || root.nodeType === 11 ? root : node.ownerDocument) as Document | ShadowRoot;
}

export class PageScanner {
  readonly registry: NumberRegistry;
  private readonly queue: IdleQueue<Node>;
  private readonly observer: MutationObserver;
  private readonly shadowRoots = new Set<ShadowRoot>();
  private readonly hooks: WalkHooks;
  private readonly painter: NearPainter;
  private firstScanStart = 0;
  /** tel: links offered so far (a number in a link's text then replaces the link's entry). */
  private telLinks = 0;
  private firstScanDone = false;
  private stopped = false;
  /** How many times the MutationObserver was called (the walk's sign that the page changed since it began). */
  private mutationCallbacks = 0;

  constructor(
    private readonly doc: Document,
    private readonly options: ScannerOptions,
  ) {
    const highlighter = options.highlighter;
    const win = doc.defaultView!;
    // Visually hidden text (a box clipped to a pixel): found when the observer that decides painting first measures it.
    this.painter = new NearPainter(win, highlighter, (anchor) => this.dropIfClipped(anchor), (n) => options.notCallable?.(n) ?? false);
    this.registry = new NumberRegistry({
      added: (n) => {
        // A number found in text knows the element that holds it (the scan read it): no DOM call for it here.
        const known = n instanceof TextNumber ? n.parent : null;
        const first = n.nodes[0]!;
        this.painter.add(n, known ?? (first.nodeType === 1 ? (first as Element) : first.parentElement ?? (n.root as Document).documentElement));
        // Adding our sheet to the document restyles the whole page: during the first scan that would be forced by the
        // next visibility check, in the middle of a slice; it is done once the scan is over, and paints in the next frame.
        if (this.firstScanDone || (n.root !== doc && n.root.nodeType !== 9)) highlighter.adoptInto(n.root);
      },
      removed: (n) => this.painter.remove(n),
    });
    const perf = win.performance;
    const now = () => perf.now();
    const ric = (win as unknown as { requestIdleCallback?: (cb: IdleRequestCallback, o?: IdleRequestOptions) => number }).requestIdleCallback;
    this.queue = new IdleQueue<Node>(
      (root) => this.scanJob(root),
      {
        sliceMs: 8,
        budgetMsPerSecond: 100,
        now,
        requestIdle: ric ? (cb) => ric.call(win, cb, { timeout: 200 }) : (cb) => win.setTimeout(() => cb({ timeRemaining: () => 8, didTimeout: true }), 1),
        requestSoon: soonScheduler(win),
        setTimer: (cb, ms) => win.setTimeout(cb, ms),
        onDrained: (stats) => this.drained(stats),
        ...options.queue,
      },
      (root, pending) => {
        // A root already covered by a queued ancestor is scanned with it.
        for (let p = root.parentNode; p; p = p.parentNode) if (pending.has(p)) return true;
        return false;
      },
    );
    this.hooks = {
      shadowRootOf: options.shadowRootOf,
      exclude: options.ownNodes(),
      onShadowRoot: (root) => this.addShadowRoot(root),
      domVersion: () => this.mutationCallbacks,
      onElement: (el) => {
        if (/^\s*tel:/i.test(el.getAttribute('href') ?? '')) this.offerTelLink(el);
      },
    };
    this.observer = new win.MutationObserver((records) => this.onMutations(records));
    // The highlighter's own observer measures the numbers handed to it as they scroll in and out.
    highlighter.onTinyAnchor?.((anchor) => this.dropIfClipped(anchor));
  }

  /** Starts the first full scan and the observer. */
  start(): void {
    this.stopped = false;
    const win = this.doc.defaultView!;
    this.firstScanStart = win.performance.now();
    this.firstScanDone = false;
    // At document_idle a big page may not have been styled and laid out yet: the first visibility check would then
    // force that whole first style pass inside one of our slices. Wait for the page's first frame (or 50 ms, for
    // tabs in the background that get no frames), so the browser does it in its own rendering step.
    let begun = false;
    const begin = () => {
      if (begun || this.stopped) return;
      begun = true;
      this.observe(this.doc);
      this.queue.enqueue(this.doc.body ?? this.doc.documentElement);
    };
    if (typeof win.requestAnimationFrame === 'function') win.requestAnimationFrame(() => win.setTimeout(begin, 0));
    win.setTimeout(begin, 50);
  }

  /** Paints the numbers again as callable or not (the organization's destination policy arrived or changed). */
  repaint(): void {
    this.painter.repaint();
  }

  /** Stops watching and forgets every number (the site was switched off). */
  stop(): void {
    this.stopped = true;
    this.observer.disconnect();
    this.queue.clear();
    for (const n of [...this.registry.values()]) this.registry.remove(n);
    this.painter.clear();
    this.shadowRoots.clear();
  }

  private observe(target: Document | ShadowRoot): void {
    this.observer.observe(target, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: OBSERVED_ATTRIBUTES });
  }

  private addShadowRoot(root: ShadowRoot): void {
    if (this.shadowRoots.has(root)) return;
    this.shadowRoots.add(root);
    this.observe(root);
    this.queue.enqueue(root);
  }

  private dropIfClipped(anchor: Element): void {
    const block = blockOf(anchor);
    if (!clippedToAPixel(anchor) && (block === anchor || !clippedToAPixel(block))) return;
    let dropped = false;
    for (const n of [...this.registry.values()]) {
      if (n.source === 'text' && n.nodes.some((node) => node.parentElement === anchor || node === anchor)) {
        this.registry.remove(n);
        dropped = true;
      }
    }
    if (dropped) this.options.onUpdate?.();
  }

  /** Whether scan work is still queued or the first scan is not over (for tests and benchmarks). */
  hasPendingWork(): boolean {
    return !this.stopped && (!this.firstScanDone || this.queue.size > 0);
  }

  /** Shadow roots met so far (for hit-testing inside them). */
  knownShadowRoots(): ShadowRoot[] {
    return [...this.shadowRoots].filter((r) => r.host.isConnected);
  }

  private isOwn(node: Node): boolean {
    const own = this.options.ownNodes();
    for (let n: Node | null = node; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) if (own.has(n)) return true;
    return false;
  }

  private onMutations(records: MutationRecord[]): void {
    // Any change, our own nodes' included: a walk under way stops reading from its copy of the text.
    this.mutationCallbacks++;
    if (this.stopped) return;
    let removals = false;
    for (const r of records) {
      if (this.isOwn(r.target)) continue;
      if (r.type === 'childList') {
        if (r.removedNodes.length > 0) removals = true;
        if (r.addedNodes.length > 0) this.enqueueAround(r.target);
      } else if (r.type === 'characterData') {
        this.enqueueAround(r.target);
      } else if (r.type === 'attributes') {
        const el = r.target as Element;
        if ((el.tagName === 'HTML' || el.tagName === 'BODY') && (r.attributeName === 'class' || r.attributeName === 'style')) continue;
        this.enqueueAround(el);
      }
    }
    if (removals) this.queue.enqueue(PRUNE);
  }

  private enqueueAround(node: Node): void {
    if (this.queue.size > MAX_PENDING) {
      this.queue.clear();
      this.queue.enqueue(PRUNE);
      this.queue.enqueue(this.doc.body ?? this.doc.documentElement);
      for (const root of this.knownShadowRoots()) this.queue.enqueue(root);
      return;
    }
    let target: Node = node;
    if (node.nodeType === 3 || (node.nodeType === 1 && isInlineElement(node as Element))) target = nearestBlock(node);
    this.queue.enqueue(target);
  }

  private *scanJob(root: Node): Generator<void> {
    if (root === PRUNE) {
      this.registry.pruneDisconnected();
      for (const sr of [...this.shadowRoots]) if (!sr.host.isConnected) this.shadowRoots.delete(sr);
      this.options.onUpdate?.();
      return;
    }
    if (!root.isConnected) return;
    // Forget what this subtree offered before: text may have been replaced, hidden or opted out.
    if (this.registry.size > 0) this.forgetSubtree(root);
    // A page being edited (designMode), or a late edit inside an editor: a rescan of a <p> in a contenteditable root
    // must not offer what the first scan skipped with the whole editor.
    if (this.doc.designMode === 'on' || insideEditor(root)) return;
    // A rescan of a subtree inside an opted-out, hidden or aria-hidden element offers nothing (the first scan left it out).
    if (skippedAbove(root)) return;
    // Every text node the walk meets is in the root's tree (it enters no shadow root) while the page has not changed.
    this.walkTree = rootOf(root);
    this.walkVersion = this.mutationCallbacks;
    // Numbers split by an inline root (a span being replaced) are read again with their block.
    // One step per few pieces that may hold a number (each costs microseconds: a step per piece spent as much on the
    // queue's clock and the generator as on the piece), and one per few hundred text nodes read (the walk's ticks).
    let pieces = 0;
    for (const piece of walkPieces(root, this.hooks)) {
      if (piece === null) {
        pieces = 0;
        yield;
        continue;
      }
      this.offerPiece(piece);
      if (++pieces === PIECES_PER_STEP) {
        pieces = 0;
        yield;
      }
    }
    this.options.onUpdate?.();
  }

  private forgetSubtree(root: Node): void {
    this.registry.forgetNode(root);
    const walker = this.doc.createTreeWalker(root, 0x1 | 0x4);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) this.registry.forgetNode(n);
  }

  private readonly probe: RenderingProbe = { shown: isRendered, breaksLine };
  /** The tree (document or shadow root) of the root being walked, and the mutation count it holds for. */
  private walkTree: Document | ShadowRoot | null = null;
  private walkVersion = -1;

  /** A piece from the walk (it may hold a number: the walk built it only then). */
  private offerPiece(whole: TextPiece): void {
    if (whole.nodes.length === 1) {
      this.offerLine(whole);
      return;
    }
    // Several text nodes: where CSS hides some or makes flex/grid items of them, the line is cut there.
    const pieces = splitByRendering(whole, this.probe);
    for (const piece of pieces) if (piece === whole || mayHoldNumber(piece.text)) this.offerLine(piece);
  }

  private offerLine(piece: TextPiece): void {
    const matches = detectPhoneNumbers(piece.text, { defaultCountry: this.options.defaultCountry });
    if (matches.length === 0) return;
    // The walk hands over the parent it read; a piece cut by splitByRendering has none (slicePiece makes a new one).
    const firstParent = piece.parent ?? piece.nodes[0]!.parentElement;
    if (firstParent && !isRendered(firstParent)) return;
    for (const m of matches) this.offerMatch(piece, m, firstParent);
  }

  /** Per table (or ARIA grid): which columns hold identifiers, read from the header row. Forgotten after each batch. */
  private identifierColumns = new WeakMap<Element, boolean[]>();
  /** Per ARIA grid: the aria-colindex values of its identifier column headers. */
  private identifierColIndexes = new WeakMap<Element, Set<string>>();
  /** Per row group (a <tbody>, a rowgroup): the table or grid it is in. */
  private tableOfGroup = new WeakMap<Element, Element | null>();

  /** Whether the element is in a table cell whose column header is an identifier label ("Customer ID", "Order"). */
  private inIdentifierColumn(el: Element): boolean {
    const cell = el.localName === 'td' ? el : el.closest(CELL);
    const row = cell?.parentElement;
    const group = row?.parentElement;
    if (!cell || !row || !group) return false;
    // Every row of one row group is in the same table: the table is looked up once per group, not once per number.
    let table = this.tableOfGroup.get(group);
    if (table === undefined) this.tableOfGroup.set(group, (table = cell.closest(TABLE)));
    if (!table) return false;
    // ARIA grids (ag-grid…) keep pinned and centre columns in separate containers: the column is its aria-colindex.
    const colIndex = cell.getAttribute('aria-colindex');
    if (colIndex !== null) {
      let byIndex = this.identifierColIndexes.get(table);
      if (!byIndex) this.identifierColIndexes.set(table, (byIndex = identifierColIndexesOf(table)));
      if (byIndex.size > 0) return byIndex.has(colIndex);
    }
    let columns = this.identifierColumns.get(table);
    if (!columns) this.identifierColumns.set(table, (columns = identifierColumnsOf(table)));
    if (!columns.includes(true)) return false;
    let index = 0;
    for (let c = row.firstElementChild; c && c !== cell; c = c.nextElementSibling) index += spanOf(c);
    return columns[index] === true && !isHeaderRow(row);
  }

  private offerMatch(piece: TextPiece, m: PhoneMatch, firstParent: Element | null): void {
    const start = locate(piece, m.start, false);
    const end = locate(piece, m.end, true);
    // The first node's parent was just read (a DOM call per number saved: most numbers are the whole of one text node).
    const parent = start.node === piece.nodes[0] ? firstParent : start.node.parentElement;
    if (parent && this.inIdentifierColumn(parent)) return;
    // A number first in its line may be labelled by another element: a <dt>, a <th>, aria-labelledby, a label beside it.
    if (parent && NOTHING_BEFORE.test(piece.text.slice(0, m.start)) && labelledElsewhere(parent)) return;
    const nodes = piece.nodes.length === 1 ? piece.nodes : piece.nodes.slice(piece.nodes.indexOf(start.node), piece.nodes.indexOf(end.node) + 1);
    // A number already offered by its tel: link is not offered twice.
    if (this.telLinks > 0) for (const node of nodes) {
      const link = node.parentElement?.closest('a');
      if (link) for (const n of this.registry.numbersAt(link)) if (n.e164 === m.e164) this.registry.remove(n);
    }
    // Its tree is the walk's unless the page changed since the walk began (a node may have moved into a shadow root).
    const tree = this.walkTree !== null && this.walkVersion === this.mutationCallbacks ? this.walkTree : rootOf(start.node);
    this.registry.add(new TextNumber(m, nodes, tree, start, end, parent));
  }

  private offerTelLink(link: Element): void {
    const number = telHrefToNumber(link.getAttribute('href') ?? '', this.options.defaultCountry);
    if (!number) return;
    for (const n of this.registry.numbersAt(link)) this.registry.remove(n);
    this.telLinks++;
    const range = this.doc.createRange();
    range.selectNodeContents(link);
    const text = (link.textContent ?? '').replace(/\s+/g, ' ').trim() || number.e164;
    const offered: OfferedNumber = { e164: number.e164, text: text.slice(0, 200), range, nodes: [link], source: 'tel', root: rootOf(link) };
    if (number.extension !== undefined) offered.extension = number.extension;
    this.registry.add(offered);
  }

  private drained(stats: { workMs: number; slices: number; longestSliceMs: number }): void {
    // Tables change between batches: their columns and groups are read again.
    this.identifierColumns = new WeakMap();
    this.identifierColIndexes = new WeakMap();
    this.tableOfGroup = new WeakMap();
    if (this.firstScanDone) {
      this.options.onDrained?.({ ...stats, numbers: this.registry.size });
      return;
    }
    this.firstScanDone = true;
    if (this.registry.size > 0) this.options.highlighter.adoptInto(this.doc);
    const wallMs = this.doc.defaultView!.performance.now() - this.firstScanStart;
    this.options.onFirstScan?.({ ...stats, wallMs, numbers: this.registry.size });
  }
}

const CELL = 'td, th, [role="cell"], [role="gridcell"], [role="rowheader"]';
const TABLE = 'table, [role="table"], [role="grid"], [role="treegrid"]';

/**
 * A number found in text. Its Range is made the first time something asks for it (painting near the viewport, the chip,
 * the popup's list): a live Range costs microseconds to make and, while it exists, work on every change to the page.
 */
class TextNumber implements OfferedNumber {
  readonly e164: string;
  readonly text: string;
  readonly extension?: string;
  readonly source = 'text' as const;
  private made: Range | null = null;

  constructor(
    m: PhoneMatch,
    readonly nodes: Text[],
    readonly root: Document | ShadowRoot,
    private readonly from: { node: Text; offset: number },
    private readonly to: { node: Text; offset: number },
    /** The element holding the first node, as the scan read it (null: not known). */
    readonly parent: Element | null = null,
  ) {
    this.e164 = m.e164;
    this.text = m.text;
    if (m.extension !== undefined) this.extension = m.extension;
  }

  get range(): Range {
    if (this.made) return this.made;
    const range = this.from.node.ownerDocument.createRange();
    try {
      range.setStart(this.from.node, this.from.offset);
      range.setEnd(this.to.node, this.to.offset);
    } catch {
      // The text changed since it was read: the rescan that change queued replaces this number; until then it is empty.
    }
    return (this.made = range);
  }
}

function spanOf(cell: Element): number {
  const span = (cell as HTMLTableCellElement).colSpan;
  return typeof span === 'number' && span > 1 ? Math.min(span, 1000) : 1;
}

function isHeaderRow(row: Element): boolean {
  if (row.parentElement?.tagName === 'THEAD') return true;
  for (let c = row.firstElementChild; c; c = c.nextElementSibling) {
    if (c.tagName !== 'TH' && c.getAttribute('role') !== 'columnheader') return false;
  }
  return row.firstElementChild !== null;
}

/** The header row of a table or grid: its thead row, else the first row made only of header cells. */
function identifierColumnsOf(table: Element): boolean[] {
  const rows = table.tagName === 'TABLE' ? (table as HTMLTableElement).rows : table.querySelectorAll('[role="row"]');
  let header: Element | null = null;
  // Not rows.length: counting a live collection walks every row of the table.
  for (let i = 0; i < 5; i++) {
    const row = rows[i];
    if (!row) break;
    if (isHeaderRow(row)) {
      header = row;
      break;
    }
  }
  const columns: boolean[] = [];
  if (!header) return columns;
  for (let c = header.firstElementChild; c; c = c.nextElementSibling) {
    const identifier = isIdentifierHeader(c.textContent ?? '');
    for (let k = spanOf(c); k > 0; k--) columns.push(identifier);
  }
  return columns;
}

/** Column headers that carry aria-colindex, wherever in the grid their header row sits. */
function identifierColIndexesOf(table: Element): Set<string> {
  const out = new Set<string>();
  for (const header of table.querySelectorAll('[role="columnheader"][aria-colindex]')) {
    if (isIdentifierHeader(header.textContent ?? '')) out.add(header.getAttribute('aria-colindex')!);
  }
  return out;
}

/** Only spaces and punctuation before the number in its line. */
const NOTHING_BEFORE = /^[\s\p{P}]*$/u;
const MAX_LABEL = 60;

function shortText(el: Element | null | undefined): string | null {
  if (!el) return null;
  const text = el.textContent ?? '';
  return text.length <= MAX_LABEL ? text : null;
}

function isIdentifierLabel(text: string | null): boolean {
  return text !== null && isIdentifierHeader(text.replace(/[\s:：#]+$/u, ''));
}

/**
 * Whether the element holding a number is labelled as an identifier by another element: aria-labelledby or aria-label on
 * it or an ancestor of its line, a <label for>, the <dt> of its <dd>, the <th> heading its row, or a short label element
 * right before its line (Salesforce Lightning's label/value pairs, flex rows of label and value).
 */
function labelledElsewhere(el: Element): boolean {
  const doc = el.ownerDocument;
  let line: Element = el;
  let name = el.localName;
  for (let e: Element | null = el; e; e = e.parentElement) {
    if (e.hasAttributes()) {
      const by = e.getAttribute('aria-labelledby');
      if (by) {
        const text = by.split(/\s+/).map((id) => doc.getElementById(id)?.textContent ?? '').join(' ');
        return isIdentifierLabel(text);
      }
      const label = e.getAttribute('aria-label');
      if (label) return isIdentifierLabel(label);
      // <output>, <meter>, <progress> have their <label for> elements in .labels.
      const labels = e.id ? (e as HTMLOutputElement).labels : undefined;
      if (labels && labels.length > 0) return isIdentifierLabel(shortText(labels[0]));
    }
    line = e;
    name = e === el ? name : e.localName;
    if (!isInlineName(name)) break;
    // Text before the number in its line was empty: an element before it is another flex item or hidden, or a label.
    const prev = e.previousElementSibling;
    if (prev) return isIdentifierLabel(shortText(prev));
  }
  if (name === 'dd') {
    let dt = line.previousElementSibling;
    while (dt && dt.localName !== 'dt') dt = dt.previousElementSibling;
    return isIdentifierLabel(shortText(dt));
  }
  if (name === 'td' || name === 'th' || line.getAttribute('role') === 'gridcell' || line.getAttribute('role') === 'cell') {
    // A row header: <tr><th>Tracking</th><td>…</td></tr>. Other cells are the column header's business.
    const prev = line.previousElementSibling;
    return !!prev && (prev.localName === 'th' || prev.getAttribute('role') === 'rowheader') && isIdentifierLabel(shortText(prev));
  }
  // A label element just before the line, or before the wrapper the line is the first content of.
  let at: Element | null = line;
  for (let depth = 0; at && depth < 3; depth++) {
    const prev = at.previousElementSibling;
    if (prev) return isIdentifierLabel(shortText(prev));
    at = at.parentElement;
  }
  return false;
}

/** Whether an ancestor of a rescanned root (through shadow hosts) is one whose subtree is never scanned. */
function skippedAbove(root: Node): boolean {
  for (let n: Node | null = root.parentNode ?? (root as ShadowRoot).host ?? null; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) {
    if (n.nodeType === 1 && isSkippedElement(n as Element)) return true;
  }
  return false;
}

/** Whether a node is inside an editable root (contenteditable, not turned off again below it). */
function insideEditor(node: Node): boolean {
  const start = node.nodeType === 1 ? (node as Element) : node.parentElement;
  if (!start) return false;
  const editable = (start as HTMLElement).isContentEditable;
  if (typeof editable === 'boolean') return editable;
  for (let e: Element | null = start; e; e = e.parentElement) {
    const value = e.getAttribute('contenteditable');
    if (value !== null) return value.toLowerCase() !== 'false';
  }
  return false;
}

type SliceCallback = (deadline: { timeRemaining(): number; didTimeout: boolean }) => void;

/**
 * Runs the first scan's slices as ordinary tasks, yielding to the page between them: scheduler.postTask at background
 * priority where it exists, else a MessageChannel message (not clamped like nested setTimeout).
 */
function soonScheduler(win: Window): ((cb: SliceCallback) => void) | undefined {
  const deadline = { timeRemaining: () => 8, didTimeout: true };
  const scheduler = (win as unknown as { scheduler?: { postTask?: (cb: () => void, o?: { priority?: string }) => Promise<unknown> } }).scheduler;
  if (typeof scheduler?.postTask === 'function') {
    const postTask = scheduler.postTask.bind(scheduler);
    return (cb) => void postTask(() => cb(deadline), { priority: 'background' }).catch(() => {});
  }
  const Channel = (win as unknown as { MessageChannel?: typeof MessageChannel }).MessageChannel;
  if (!Channel) return undefined;
  const channel = new Channel();
  const queued: SliceCallback[] = [];
  channel.port1.onmessage = () => queued.shift()?.(deadline);
  return (cb) => {
    queued.push(cb);
    channel.port2.postMessage(null);
  };
}

/** A queue entry that drops numbers whose text left the page. */
const PRUNE: Node = { isConnected: true, parentNode: null } as unknown as Node;
