// The numbers currently offered in this frame: each with its live Range, indexed by the text nodes it covers.
import type { ListedNumber } from '../protocol/messages.js';

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
  /** The numbers covering each node: one number alone (the common case, no Set made for it), or a Set of several. */
  private readonly byNode = new Map<Node, OfferedNumber | Set<OfferedNumber>>();
  private readonly all = new Set<OfferedNumber>();

  constructor(private readonly hooks: RegistryHooks = {}) {}

  get size(): number {
    return this.all.size;
  }

  add(n: OfferedNumber): void {
    this.all.add(n);
    for (const node of n.nodes) {
      const known = this.byNode.get(node);
      if (known === undefined) this.byNode.set(node, n);
      else if (known instanceof Set) known.add(n);
      else if (known !== n) this.byNode.set(node, new Set([known, n]));
    }
    this.hooks.added?.(n);
  }

  remove(n: OfferedNumber): void {
    if (!this.all.delete(n)) return;
    for (const node of n.nodes) {
      const known = this.byNode.get(node);
      if (known === undefined) continue;
      if (known instanceof Set) {
        known.delete(n);
        if (known.size === 0) this.byNode.delete(node);
      } else if (known === n) this.byNode.delete(node);
    }
    this.hooks.removed?.(n);
  }

  /** Drops every number that covers `node`. */
  forgetNode(node: Node): void {
    const known = this.byNode.get(node);
    if (known === undefined) return;
    if (known instanceof Set) for (const n of [...known]) this.remove(n);
    else this.remove(known);
  }

  numbersAt(node: Node): readonly OfferedNumber[] {
    const known = this.byNode.get(node);
    return known === undefined ? [] : known instanceof Set ? [...known] : [known];
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
