// The numbers currently offered in this frame: each with its live Range, indexed by the text nodes it covers.
import type { ListedNumber } from '../../shared/messages.js';

export interface OfferedNumber {
  e164: string;
  /** The number as the page shows it. */
  text: string;
  extension?: string;
  range: Range;
  /** Text nodes the number covers (for a tel: link whose text is not a number: the link element). */
  nodes: Node[];
  /** Where the number came from. */
  source: 'text' | 'tel';
  /** The document or shadow root it lives in. */
  root: Document | ShadowRoot;
}

export interface RegistryHooks {
  added?(n: OfferedNumber): void;
  removed?(n: OfferedNumber): void;
}

export class NumberRegistry {
  private readonly byNode = new Map<Node, Set<OfferedNumber>>();
  private readonly all = new Set<OfferedNumber>();

  constructor(private readonly hooks: RegistryHooks = {}) {}

  get size(): number {
    return this.all.size;
  }

  add(n: OfferedNumber): void {
    this.all.add(n);
    for (const node of n.nodes) {
      let set = this.byNode.get(node);
      if (!set) this.byNode.set(node, (set = new Set()));
      set.add(n);
    }
    this.hooks.added?.(n);
  }

  remove(n: OfferedNumber): void {
    if (!this.all.delete(n)) return;
    for (const node of n.nodes) {
      const set = this.byNode.get(node);
      if (!set) continue;
      set.delete(n);
      if (set.size === 0) this.byNode.delete(node);
    }
    this.hooks.removed?.(n);
  }

  /** Drops every number that covers `node`. */
  forgetNode(node: Node): void {
    const set = this.byNode.get(node);
    if (!set) return;
    for (const n of [...set]) this.remove(n);
  }

  numbersAt(node: Node): readonly OfferedNumber[] {
    const set = this.byNode.get(node);
    return set ? [...set] : [];
  }

  /** Drops numbers whose nodes left the document (or a detached shadow root). */
  pruneDisconnected(): void {
    for (const n of [...this.all]) if (n.nodes.some((node) => !node.isConnected)) this.remove(n);
  }

  values(): IterableIterator<OfferedNumber> {
    return this.all.values();
  }

  /** The numbers offered now, one entry per E.164 number, in document-scan order. */
  list(offerable: (n: OfferedNumber) => boolean = () => true): ListedNumber[] {
    const seen = new Set<string>();
    const out: ListedNumber[] = [];
    for (const n of this.all) {
      if (seen.has(n.e164) || !n.nodes.every((node) => node.isConnected) || !offerable(n)) continue;
      seen.add(n.e164);
      out.push({ e164: n.e164, text: n.text });
    }
    return out;
  }
}
