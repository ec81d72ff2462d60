// What the service worker answers from the extension's own pages (popup, options, confirm, permission, offscreen):
// each request paired with its answer. Adding a command = one entry here, one handler in background/message-router.ts,
// one caller through background/api.ts.
import { z } from 'zod';
import {
  authInfoSchema,
  commandResultSchema,
  pendingDialViewSchema,
  signInResultSchema,
  softphoneStateEventSchema,
  swAnswerSchema,
  swAudioDevicesSchema,
  swCancelDialSchema,
  swConfirmDialSchema,
  swDeclineSchema,
  swDialSchema,
  swDigitsSchema,
  swGetAuthSchema,
  swGetStateSchema,
  swHangupSchema,
  swMuteSchema,
  swNumberPolicySchema,
  swOpenPermissionSchema,
  swPendingDialSchema,
  swSignInSchema,
  swSignOutSchema,
  swWrapUpOfferSchema,
  swWrapUpReopenSchema,
  swWrapUpSaveSchema,
  swWrapUpSkipSchema,
} from './extension-messages.js';
import { numberPolicyWireSchema, wrapUpViewSchema } from './messages.js';
import { softphoneStateSchema } from './softphone.js';
import { audioChoiceSchema } from '../lib/audio-devices.js';
import { defineProtocol } from './messenger.js';

/** Done (`{ ok: true }`), or a sentence saying why not. */
const command = commandResultSchema;

export const workerPageProtocol = defineProtocol({
  'c2c:sw:dial': { request: swDialSchema, response: command },
  'c2c:sw:hangup': { request: swHangupSchema, response: command },
  'c2c:sw:mute': { request: swMuteSchema, response: command },
  'c2c:sw:digits': { request: swDigitsSchema, response: command },
  'c2c:sw:get-state': { request: swGetStateSchema, response: softphoneStateSchema },
  'c2c:sw:sign-in': { request: swSignInSchema, response: signInResultSchema },
  'c2c:sw:sign-out': { request: swSignOutSchema, response: command },
  'c2c:sw:get-auth': { request: swGetAuthSchema, response: authInfoSchema },
  'c2c:sw:open-permission': { request: swOpenPermissionSchema, response: command },
  'c2c:sw:pending-dial': { request: swPendingDialSchema, response: pendingDialViewSchema },
  'c2c:sw:confirm-dial': { request: swConfirmDialSchema, response: command },
  'c2c:sw:cancel-dial': { request: swCancelDialSchema, response: command },
  /** Offscreen only (the router checks the sender): the softphone changed. Nothing is answered. */
  'c2c:softphone-state': { request: softphoneStateEventSchema, response: z.undefined() },
  'c2c:sw:answer': { request: swAnswerSchema, response: command },
  'c2c:sw:decline': { request: swDeclineSchema, response: command },
  'c2c:sw:wrap-up-offer': { request: swWrapUpOfferSchema, response: wrapUpViewSchema.nullable() },
  'c2c:sw:wrap-up-save': { request: swWrapUpSaveSchema, response: command },
  'c2c:sw:wrap-up-skip': { request: swWrapUpSkipSchema, response: command },
  'c2c:sw:wrap-up-reopen': { request: swWrapUpReopenSchema, response: command },
  'c2c:sw:number-policy': { request: swNumberPolicySchema, response: numberPolicyWireSchema.nullable() },
  'c2c:sw:audio-devices': { request: swAudioDevicesSchema, response: audioChoiceSchema },
});
export type WorkerPageProtocol = typeof workerPageProtocol;
