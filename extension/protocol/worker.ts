// What the service worker answers from the extension's own pages (popup, options, confirm, permission, offscreen):
// each request's schema written in its entry, paired with its answer. Adding a command = one entry here, one handler in
// background/message-router.ts, one caller through background/api.ts.
import { z } from 'zod';
import { simDigitsRequestSchema } from '../../shared/api.js';
import { authInfoSchema, commandResultSchema, pendingDialViewSchema, signInResultSchema } from './extension-messages.js';
import { dialContextShape, extensionDigitsSchema, numberPolicyWireSchema, wrapUpFieldsSchema, wrapUpViewSchema } from './messages.js';
import { softphoneStateSchema } from './softphone.js';
import { audioChoiceSchema } from '../lib/audio-devices.js';
import { defineProtocol } from './messenger.js';

/** Done (`{ ok: true }`), or a sentence saying why not. */
const command = commandResultSchema;

/** What the agent typed or selected; the service worker normalizes it (and says why when it cannot). */
const phoneNumberSchema = z.string().trim().min(1, 'Enter a phone number to call.').max(64);
const callSid = z.string().min(1).max(64);

/** Offscreen → service worker (and every open extension page, which listen for it too): the softphone changed. */
export const softphoneStateEventSchema = z.object({ type: z.literal('c2c:softphone-state'), state: softphoneStateSchema });

export const workerPageProtocol = defineProtocol({
  'c2c:sw:dial': {
    request: z.object({ type: z.literal('c2c:sw:dial'), to: phoneNumberSchema, extension: extensionDigitsSchema.optional(), ...dialContextShape }),
    response: command,
  },
  'c2c:sw:hangup': { request: z.object({ type: z.literal('c2c:sw:hangup') }), response: command },
  'c2c:sw:mute': { request: z.object({ type: z.literal('c2c:sw:mute'), muted: z.boolean() }), response: command },
  'c2c:sw:digits': { request: z.object({ type: z.literal('c2c:sw:digits'), digits: simDigitsRequestSchema.shape.digits }), response: command },
  'c2c:sw:get-state': { request: z.object({ type: z.literal('c2c:sw:get-state') }), response: softphoneStateSchema },
  'c2c:sw:sign-in': {
    request: z.object({ type: z.literal('c2c:sw:sign-in'), email: z.string().max(320), password: z.string().max(1024) }),
    response: signInResultSchema,
  },
  'c2c:sw:sign-out': { request: z.object({ type: z.literal('c2c:sw:sign-out') }), response: command },
  /** The backend URL and a fresh access token (refreshed first when close to expiry). */
  'c2c:sw:get-auth': { request: z.object({ type: z.literal('c2c:sw:get-auth') }), response: authInfoSchema },
  'c2c:sw:open-permission': { request: z.object({ type: z.literal('c2c:sw:open-permission') }), response: command },
  /** The confirmation window: what is waiting, and the agent's answer. */
  'c2c:sw:pending-dial': { request: z.object({ type: z.literal('c2c:sw:pending-dial'), id: z.string().uuid() }), response: pendingDialViewSchema },
  'c2c:sw:confirm-dial': { request: z.object({ type: z.literal('c2c:sw:confirm-dial'), id: z.string().uuid() }), response: command },
  'c2c:sw:cancel-dial': { request: z.object({ type: z.literal('c2c:sw:cancel-dial'), id: z.string().uuid() }), response: command },
  /** Offscreen only (the router checks the sender): the softphone changed. Nothing is answered. */
  'c2c:softphone-state': { request: softphoneStateEventSchema, response: z.undefined() },
  /** The popup answers or declines the incoming call ringing now (named by its CallSid; the worker checks it rings here). */
  'c2c:sw:answer': { request: z.object({ type: z.literal('c2c:sw:answer'), callSid }), response: command },
  'c2c:sw:decline': { request: z.object({ type: z.literal('c2c:sw:decline'), callSid }), response: command },
  /** The popup's wrap-up of the just-ended call: the offer (a WrapUpView or null), saving it, leaving it. */
  'c2c:sw:wrap-up-offer': { request: z.object({ type: z.literal('c2c:sw:wrap-up-offer') }), response: wrapUpViewSchema.nullable() },
  'c2c:sw:wrap-up-save': { request: z.object({ type: z.literal('c2c:sw:wrap-up-save'), fields: wrapUpFieldsSchema }), response: command },
  'c2c:sw:wrap-up-skip': { request: z.object({ type: z.literal('c2c:sw:wrap-up-skip') }), response: command },
  /** The popup brings a left wrap-up back (Call next waits for a required one). */
  'c2c:sw:wrap-up-reopen': { request: z.object({ type: z.literal('c2c:sw:wrap-up-reopen') }), response: command },
  /** The destination policy (messages.ts NumberPolicyWire), or null when the backend cannot be read. */
  'c2c:sw:number-policy': { request: z.object({ type: z.literal('c2c:sw:number-policy') }), response: numberPolicyWireSchema.nullable() },
  /** The signed-in agent's microphone and speaker choice (audio-devices.ts), for the offscreen softphone. */
  'c2c:sw:audio-devices': { request: z.object({ type: z.literal('c2c:sw:audio-devices') }), response: audioChoiceSchema },
});
export type WorkerPageProtocol = typeof workerPageProtocol;
