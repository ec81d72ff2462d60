// What the service worker answers from content scripts, which are hostile (a compromised page can send anything a
// content script can): each request paired with its answer. The router (background/message-router.ts) checks the sender
// first: the call bar's entries only from the active tab's top frame.
import { z } from 'zod';
import { commandResultSchema } from './extension-messages.js';
import { callBarViewSchema, clickRefusedSchema, dialRequestSchema, numberPolicyRequestSchema, numberPolicyWireSchema, wrapUpFieldsSchema } from './messages.js';
import { defineProtocol, type AnyRequest } from './messenger.js';

const callSid = z.string().min(1).max(64);

export const workerContentProtocol = defineProtocol({
  'c2c:dial': { request: dialRequestSchema, response: commandResultSchema },
  'c2c:click-refused': { request: clickRefusedSchema, response: commandResultSchema },
  'c2c:number-policy': { request: numberPolicyRequestSchema, response: numberPolicyWireSchema.nullable() },
  'c2c:call-bar-state': { request: z.object({ type: z.literal('c2c:call-bar-state') }), response: callBarViewSchema.nullable() },
  'c2c:bar:hangup': { request: z.object({ type: z.literal('c2c:bar:hangup') }), response: commandResultSchema },
  'c2c:bar:mute': { request: z.object({ type: z.literal('c2c:bar:mute'), muted: z.boolean() }), response: commandResultSchema },
  /** One key of the bar's keypad per message, as the agent presses it. */
  'c2c:bar:digit': { request: z.object({ type: z.literal('c2c:bar:digit'), digit: z.string().regex(/^[0-9*#]$/) }), response: commandResultSchema },
  'c2c:bar:answer': { request: z.object({ type: z.literal('c2c:bar:answer'), callSid }), response: commandResultSchema },
  'c2c:bar:decline': { request: z.object({ type: z.literal('c2c:bar:decline'), callSid }), response: commandResultSchema },
  /** The wrap-up of the agent's own just-ended call (never names a call: the worker knows which one it is). */
  'c2c:bar:wrap-up': { request: z.object({ type: z.literal('c2c:bar:wrap-up'), fields: wrapUpFieldsSchema }), response: commandResultSchema },
  'c2c:bar:wrap-up-skip': { request: z.object({ type: z.literal('c2c:bar:wrap-up-skip') }), response: commandResultSchema },
});
export type WorkerContentProtocol = typeof workerContentProtocol;

/** The entries only the call bar sends: answered for the active tab's top frame alone (listed by hand: a security rule). */
const CALL_BAR_ENTRIES = [
  'c2c:call-bar-state',
  'c2c:bar:hangup',
  'c2c:bar:mute',
  'c2c:bar:digit',
  'c2c:bar:answer',
  'c2c:bar:decline',
  'c2c:bar:wrap-up',
  'c2c:bar:wrap-up-skip',
] as const satisfies ReadonlyArray<keyof WorkerContentProtocol>;
export const CALL_BAR_TYPES: ReadonlySet<keyof WorkerContentProtocol> = new Set(CALL_BAR_ENTRIES);

/** What the call bar sends the worker. */
export type CallBarRequest = AnyRequest<Pick<WorkerContentProtocol, (typeof CALL_BAR_ENTRIES)[number]>>;
