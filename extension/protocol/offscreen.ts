// What the offscreen softphone answers, from the service worker only (offscreen/main.ts checks the sender): each request
// paired with its answer. Adding a softphone command = one entry here, one handler in offscreen/softphone-host.ts,
// one caller through offscreen/api.ts.
import {
  commandResultSchema,
  offscreenAnswerSchema,
  offscreenAudioDevicesSchema,
  offscreenDeclineSchema,
  offscreenDialSchema,
  offscreenDigitsSchema,
  offscreenGetStateSchema,
  offscreenHangupSchema,
  offscreenMuteSchema,
  offscreenPingSchema,
  offscreenResetSchema,
} from './extension-messages.js';
import { softphoneStateSchema } from './softphone.js';
import { defineProtocol } from './messenger.js';

export const offscreenProtocol = defineProtocol({
  /** The worker's "are you there" while the document loads (answered only once the sender check is ready). */
  'c2c:offscreen:ping': { request: offscreenPingSchema, response: commandResultSchema },
  'c2c:offscreen:audio-devices': { request: offscreenAudioDevicesSchema, response: commandResultSchema },
  'c2c:offscreen:dial': { request: offscreenDialSchema, response: commandResultSchema },
  'c2c:offscreen:hangup': { request: offscreenHangupSchema, response: commandResultSchema },
  'c2c:offscreen:mute': { request: offscreenMuteSchema, response: commandResultSchema },
  'c2c:offscreen:digits': { request: offscreenDigitsSchema, response: commandResultSchema },
  'c2c:offscreen:get-state': { request: offscreenGetStateSchema, response: softphoneStateSchema },
  'c2c:offscreen:reset': { request: offscreenResetSchema, response: commandResultSchema },
  'c2c:offscreen:answer': { request: offscreenAnswerSchema, response: commandResultSchema },
  'c2c:offscreen:decline': { request: offscreenDeclineSchema, response: commandResultSchema },
});
export type OffscreenProtocol = typeof offscreenProtocol;
