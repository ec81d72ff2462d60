// Builds the typed dial request the content script sends to the service worker for an offered number.
import { dialRequestSchema, type DialRequest } from '../protocol/messages.js';
import { guessContactName } from './contact-name.js';
import type { OfferedNumber } from './registry.js';

/**
 * The dial request for a number, validated against the shared schema (null if it would not validate). The page's address
 * and title are not in it: the service worker takes them from the message's sender, which the page cannot forge.
 */
export function buildDialRequest(n: Pick<OfferedNumber, 'e164' | 'text' | 'extension' | 'nodes'>): DialRequest | null {
  const first = n.nodes[0];
  const contactName = first ? guessContactName(first, n.text) : undefined;
  const candidate: DialRequest = {
    type: 'c2c:dial',
    e164: n.e164,
    text: n.text.slice(0, 200),
    ...(n.extension !== undefined ? { extension: n.extension } : {}),
    ...(contactName ? { contactName: contactName.slice(0, 200) } : {}),
  };
  const parsed = dialRequestSchema.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}
