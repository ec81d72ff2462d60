// What the service worker answers from content scripts, which are hostile (a compromised page can send anything a
// content script can): each request paired with its answer. The router (background/message-router.ts) checks the sender
// first: the call bar's entries only from the active tab's top frame.
import { z } from 'zod';
import { commandResultSchema } from './extension-messages.js';
import { callBarRequestSchema, callBarViewSchema, clickRefusedSchema, dialRequestSchema, numberPolicyRequestSchema, numberPolicyWireSchema } from './messages.js';
import { defineProtocol } from './messenger.js';

/** One call-bar request's schema, taken from the bar's union (so the bar's limits stay written once). */
function barRequest<T extends z.infer<typeof callBarRequestSchema>['type']>(type: T) {
  const option = callBarRequestSchema.options.find((o) => o.shape.type.value === type);
  if (!option) throw new Error(`no call-bar request ${type}`);
  return option as unknown as z.ZodType<Extract<z.infer<typeof callBarRequestSchema>, { type: T }>>;
}

export const workerContentProtocol = defineProtocol({
  'c2c:dial': { request: dialRequestSchema, response: commandResultSchema },
  'c2c:click-refused': { request: clickRefusedSchema, response: commandResultSchema },
  'c2c:number-policy': { request: numberPolicyRequestSchema, response: numberPolicyWireSchema.nullable() },
  'c2c:call-bar-state': { request: barRequest('c2c:call-bar-state'), response: callBarViewSchema.nullable() },
  'c2c:bar:hangup': { request: barRequest('c2c:bar:hangup'), response: commandResultSchema },
  'c2c:bar:mute': { request: barRequest('c2c:bar:mute'), response: commandResultSchema },
  'c2c:bar:digit': { request: barRequest('c2c:bar:digit'), response: commandResultSchema },
  'c2c:bar:answer': { request: barRequest('c2c:bar:answer'), response: commandResultSchema },
  'c2c:bar:decline': { request: barRequest('c2c:bar:decline'), response: commandResultSchema },
  'c2c:bar:wrap-up': { request: barRequest('c2c:bar:wrap-up'), response: commandResultSchema },
  'c2c:bar:wrap-up-skip': { request: barRequest('c2c:bar:wrap-up-skip'), response: commandResultSchema },
});
export type WorkerContentProtocol = typeof workerContentProtocol;

/** The entries only the call bar sends: answered for the active tab's top frame alone. */
export const CALL_BAR_TYPES: ReadonlySet<keyof WorkerContentProtocol> = new Set([
  'c2c:call-bar-state',
  'c2c:bar:hangup',
  'c2c:bar:mute',
  'c2c:bar:digit',
  'c2c:bar:answer',
  'c2c:bar:decline',
  'c2c:bar:wrap-up',
  'c2c:bar:wrap-up-skip',
]);
