// Reads the TwiML the backend answered with, as Twilio would: a <Dial><Number> to follow, or a <Say> + <Hangup/> refusal.
import { XMLParser } from 'fast-xml-parser';

export type TwimlInstruction =
  | { kind: 'dial'; number: string; action: string | null; statusCallback: string | null; statusCallbackEvents: string[]; callerId: string | null; sendDigits: string | null }
  | { kind: 'hangup'; say: string | null };

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', preserveOrder: true, parseTagValue: false, parseAttributeValue: false });

const children = (node: Node, tag: string): Node[] => (node[tag] as Node[] | undefined) ?? [];
const text = (nodes: Node[]) => nodes.map((n) => String(n['#text'] ?? '')).join('').trim();

export function readTwiml(xml: string): TwimlInstruction {
  const doc = parser.parse(xml) as Node[];
  const response = doc.find((n) => 'Response' in n);
  if (!response) throw new Error('The TwiML has no <Response>.');
  let say: string | null = null;
  for (const verb of children(response, 'Response')) {
    if ('Say' in verb) say = text(children(verb, 'Say'));
    if ('Hangup' in verb) return { kind: 'hangup', say };
    if ('Dial' in verb) {
      const attrs = verb[':@'] ?? {};
      const number = children(verb, 'Dial').find((n) => 'Number' in n);
      if (!number) throw new Error('The <Dial> has no <Number>.');
      const n = number[':@'] ?? {};
      return {
        kind: 'dial',
        number: text(children(number, 'Number')),
        action: attrs.action ?? null,
        callerId: attrs.callerId ?? null,
        statusCallback: n.statusCallback ?? null,
        statusCallbackEvents: (n.statusCallbackEvent ?? 'completed').split(/\s+/).filter(Boolean),
        sendDigits: n.sendDigits ?? null,
      };
    }
  }
  // A response with no more verbs ends the call.
  return { kind: 'hangup', say };
}
