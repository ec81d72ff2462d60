// "On this page" for the popup: the frame's callable numbers, each once (number and extension), with the name the chip
// would send for it, in the page's order.
import { MAX_LISTED_NUMBERS, listedNumberSchema, type ListedNumber } from '../protocol/messages.js';
import { buildDialRequest } from './dial-request.js';
import type { NumberRegistry, OfferedNumber } from './registry.js';

export function listForPopup(registry: NumberRegistry, offerable: (n: OfferedNumber) => boolean): ListedNumber[] {
  const seen = new Set<string>();
  const out: ListedNumber[] = [];
  for (const n of registry.values()) {
    if (out.length >= MAX_LISTED_NUMBERS) break;
    const key = `${n.e164};${n.extension ?? ''}`;
    if (seen.has(key) || !n.nodes.every((node) => node.isConnected) || !offerable(n)) continue;
    seen.add(key);
    const request = buildDialRequest(n);
    const parsed = listedNumberSchema.safeParse({
      e164: n.e164,
      text: n.text.slice(0, 200),
      ...(n.extension !== undefined ? { extension: n.extension } : {}),
      ...(request?.contactName ? { contactName: request.contactName } : {}),
    });
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}
