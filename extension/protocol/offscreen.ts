// What the offscreen softphone answers, from the service worker only (offscreen/main.ts checks the sender): each request's
// schema written in its entry, paired with its answer. Adding a softphone command = one entry here, one handler in
// offscreen/softphone-host.ts, one caller through offscreen/api.ts.
import { z } from 'zod';
import { dialParamsSchema, simDigitsRequestSchema } from '../../shared/api.js';
import { commandResultSchema, type CommandResult } from './extension-messages.js';
import { softphoneStateSchema } from './softphone.js';
import { defineProtocol, type AnyRequest, type PayloadOf } from './messenger.js';

const callSid = z.string().min(1).max(64);

export const offscreenProtocol = defineProtocol({
  /** The worker's "are you there" while the document loads (answered only once the sender check is ready). */
  'c2c:offscreen:ping': { request: z.object({ type: z.literal('c2c:offscreen:ping') }), response: commandResultSchema },
  /** The agent changed their microphone or speaker: the document asks the worker for the choice again and applies it. */
  'c2c:offscreen:audio-devices': { request: z.object({ type: z.literal('c2c:offscreen:audio-devices') }), response: commandResultSchema },
  /** The extension digits travel in params (to the backend, which checks them and has Twilio send them after the answer). */
  'c2c:offscreen:dial': { request: z.object({ type: z.literal('c2c:offscreen:dial'), params: dialParamsSchema }), response: commandResultSchema },
  'c2c:offscreen:hangup': { request: z.object({ type: z.literal('c2c:offscreen:hangup') }), response: commandResultSchema },
  'c2c:offscreen:mute': { request: z.object({ type: z.literal('c2c:offscreen:mute'), muted: z.boolean() }), response: commandResultSchema },
  'c2c:offscreen:digits': { request: z.object({ type: z.literal('c2c:offscreen:digits'), digits: simDigitsRequestSchema.shape.digits }), response: commandResultSchema },
  'c2c:offscreen:get-state': { request: z.object({ type: z.literal('c2c:offscreen:get-state') }), response: softphoneStateSchema },
  /** Signed out or the backend changed: drop the device so the next call starts from /api/config. */
  'c2c:offscreen:reset': { request: z.object({ type: z.literal('c2c:offscreen:reset') }), response: commandResultSchema },
  'c2c:offscreen:answer': { request: z.object({ type: z.literal('c2c:offscreen:answer'), callSid }), response: commandResultSchema },
  'c2c:offscreen:decline': { request: z.object({ type: z.literal('c2c:offscreen:decline'), callSid }), response: commandResultSchema },
});
export type OffscreenProtocol = typeof offscreenProtocol;
export type OffscreenRequest = AnyRequest<OffscreenProtocol>;

/** The entries answered with done-or-why: the commands the worker forwards from the popup and the call bar (derived from the map). */
export type SoftphoneCommand = {
  [K in keyof OffscreenProtocol]: OffscreenProtocol[K]['response'] extends typeof commandResultSchema ? K : never;
}[keyof OffscreenProtocol];

/** Sends one softphone command; never throws: no answer becomes the sentence the agent sees. */
export type SoftphoneCommander = <K extends SoftphoneCommand>(type: K, payload: PayloadOf<OffscreenProtocol, K>) => Promise<CommandResult>;
