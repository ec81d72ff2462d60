// Reads the TwiML the inbound Voice URL (and the <Dial action>) answer with, as Twilio would: a <Dial> of <Client>s to
// ring (each with its <Identity> and <Parameter>s), a <Record> voicemail after a <Say>, or a <Say> and <Hangup/>.
import { XMLParser } from 'fast-xml-parser';

export interface ClientLeg {
  identity: string;
  params: Record<string, string>;
  statusCallback: string | null;
  statusCallbackEvents: string[];
}

export type InboundInstruction =
  | { kind: 'dial-clients'; clients: ClientLeg[]; action: string | null; timeoutSeconds: number }
  | { kind: 'record'; say: string | null; action: string | null; maxLengthSeconds: number; recordingStatusCallback: string | null }
  | { kind: 'hangup'; say: string | null };

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', preserveOrder: true, parseTagValue: false, parseAttributeValue: false });
const children = (node: Node, tag: string): Node[] => (node[tag] as Node[] | undefined) ?? [];
const text = (nodes: Node[]) => nodes.map((n) => String(n['#text'] ?? '')).join('').trim();

export function readInboundTwiml(xml: string): InboundInstruction {
  const doc = parser.parse(xml) as Node[];
  const response = doc.find((n) => 'Response' in n);
  if (!response) throw new Error('The TwiML has no <Response>.');
  let say: string | null = null;
  for (const verb of children(response, 'Response')) {
    if ('Say' in verb) say = text(children(verb, 'Say'));
    if ('Hangup' in verb) return { kind: 'hangup', say };
    if ('Record' in verb) {
      const a = verb[':@'] ?? {};
      return { kind: 'record', say, action: a.action ?? null, maxLengthSeconds: Number(a.maxLength ?? 3600), recordingStatusCallback: a.recordingStatusCallback ?? null };
    }
    if ('Dial' in verb) {
      const a = verb[':@'] ?? {};
      const clients = children(verb, 'Dial')
        .filter((n) => 'Client' in n)
        .map((n): ClientLeg => {
          const attrs = n[':@'] ?? {};
          const inner = children(n, 'Client');
          const identityNode = inner.find((x) => 'Identity' in x);
          const params: Record<string, string> = {};
          for (const p of inner.filter((x) => 'Parameter' in x)) {
            const pa = p[':@'] ?? {};
            if (pa.name) params[pa.name] = pa.value ?? '';
          }
          return {
            identity: identityNode ? text(children(identityNode, 'Identity')) : text(inner),
            params,
            statusCallback: attrs.statusCallback ?? null,
            statusCallbackEvents: (attrs.statusCallbackEvent ?? 'completed').split(/\s+/).filter(Boolean),
          };
        });
      if (clients.length === 0) throw new Error('The <Dial> has no <Client>.');
      return { kind: 'dial-clients', clients, action: a.action ?? null, timeoutSeconds: Number(a.timeout ?? 30) };
    }
  }
  return { kind: 'hangup', say };
}
