// Messages between the extension's own pages (popup, options, permission), the service worker and the offscreen softphone.
import { z } from 'zod';
import { dialParamsSchema, sessionSchema, simDigitsRequestSchema } from '../../shared/api.js';
import { dialContextShape, extensionDigitsSchema, wrapUpFieldsSchema } from './messages.js';
import { callErrorActionSchema, softphoneStateSchema } from './softphone.js';

/** What the agent typed or selected; the service worker normalizes it (and says why when it cannot). */
const phoneNumberSchema = z.string().trim().min(1, 'Enter a phone number to call.').max(64);

/** Where a dial request came from: decides nothing, but shows in logs and notifications. */
export const dialSourceSchema = z.enum(['content', 'popup', 'context-menu', 'command']);
export type DialSource = z.infer<typeof dialSourceSchema>;

// ---- Extension pages → service worker ----

export const swDialSchema = z.object({
  type: z.literal('c2c:sw:dial'),
  to: phoneNumberSchema,
  extension: extensionDigitsSchema.optional(),
  ...dialContextShape,
});
export type SwDial = z.infer<typeof swDialSchema>;

export const swHangupSchema = z.object({ type: z.literal('c2c:sw:hangup') });
export const swMuteSchema = z.object({ type: z.literal('c2c:sw:mute'), muted: z.boolean() });
export const swDigitsSchema = z.object({ type: z.literal('c2c:sw:digits'), digits: simDigitsRequestSchema.shape.digits });
export const swGetStateSchema = z.object({ type: z.literal('c2c:sw:get-state') });
export const swSignInSchema = z.object({
  type: z.literal('c2c:sw:sign-in'),
  email: z.string().max(320),
  password: z.string().max(1024),
});
export const swSignOutSchema = z.object({ type: z.literal('c2c:sw:sign-out') });
/** The backend URL and a fresh access token (refreshed first when close to expiry). */
export const swGetAuthSchema = z.object({ type: z.literal('c2c:sw:get-auth') });
export const swOpenPermissionSchema = z.object({ type: z.literal('c2c:sw:open-permission') });
/** The confirmation window: what is waiting, and the agent's answer. */
export const swPendingDialSchema = z.object({ type: z.literal('c2c:sw:pending-dial'), id: z.string().uuid() });
export const swConfirmDialSchema = z.object({ type: z.literal('c2c:sw:confirm-dial'), id: z.string().uuid() });
export const swCancelDialSchema = z.object({ type: z.literal('c2c:sw:cancel-dial'), id: z.string().uuid() });
/** The popup answers or declines the incoming call ringing now (named by its CallSid; the worker checks it rings here). */
export const swAnswerSchema = z.object({ type: z.literal('c2c:sw:answer'), callSid: z.string().min(1).max(64) });
export const swDeclineSchema = z.object({ type: z.literal('c2c:sw:decline'), callSid: z.string().min(1).max(64) });
/** The popup's wrap-up of the just-ended call: the offer (a WrapUpView or null), saving it, leaving it. */
export const swWrapUpOfferSchema = z.object({ type: z.literal('c2c:sw:wrap-up-offer') });
export const swWrapUpSaveSchema = z.object({ type: z.literal('c2c:sw:wrap-up-save'), fields: wrapUpFieldsSchema });
export const swWrapUpSkipSchema = z.object({ type: z.literal('c2c:sw:wrap-up-skip') });
/** The popup brings a left wrap-up back (Call next waits for a required one). */
export const swWrapUpReopenSchema = z.object({ type: z.literal('c2c:sw:wrap-up-reopen') });
/** The destination policy (messages.ts NumberPolicyWire), or null when the backend cannot be read. */
export const swNumberPolicySchema = z.object({ type: z.literal('c2c:sw:number-policy') });
/** The signed-in agent's microphone and speaker choice (audio-devices.ts), for the offscreen softphone. */
export const swAudioDevicesSchema = z.object({ type: z.literal('c2c:sw:audio-devices') });
/** Offscreen → service worker (and every open extension page): the softphone changed. */
export const softphoneStateEventSchema = z.object({ type: z.literal('c2c:softphone-state'), state: softphoneStateSchema });

// Which of these the worker answers, and with what: extension/protocol/worker.ts.

// ---- Service worker → offscreen softphone ----

export const offscreenPingSchema = z.object({ type: z.literal('c2c:offscreen:ping') });
/** The extension digits travel in params (to the backend, which checks them and has Twilio send them after the answer). */
export const offscreenDialSchema = z.object({
  type: z.literal('c2c:offscreen:dial'),
  params: dialParamsSchema,
});
export const offscreenHangupSchema = z.object({ type: z.literal('c2c:offscreen:hangup') });
export const offscreenMuteSchema = z.object({ type: z.literal('c2c:offscreen:mute'), muted: z.boolean() });
export const offscreenDigitsSchema = z.object({ type: z.literal('c2c:offscreen:digits'), digits: simDigitsRequestSchema.shape.digits });
export const offscreenGetStateSchema = z.object({ type: z.literal('c2c:offscreen:get-state') });
export const offscreenAnswerSchema = z.object({ type: z.literal('c2c:offscreen:answer'), callSid: z.string().min(1).max(64) });
export const offscreenDeclineSchema = z.object({ type: z.literal('c2c:offscreen:decline'), callSid: z.string().min(1).max(64) });
/** Signed out or the backend changed: drop the device so the next call starts from /api/config. */
export const offscreenResetSchema = z.object({ type: z.literal('c2c:offscreen:reset') });

/** The agent changed their microphone or speaker: the offscreen document asks for the choice again and applies it. */
export const offscreenAudioDevicesSchema = z.object({ type: z.literal('c2c:offscreen:audio-devices') });

export const swToOffscreenSchema = z.discriminatedUnion('type', [
  offscreenPingSchema,
  offscreenAudioDevicesSchema,
  offscreenDialSchema,
  offscreenHangupSchema,
  offscreenMuteSchema,
  offscreenDigitsSchema,
  offscreenGetStateSchema,
  offscreenResetSchema,
  offscreenAnswerSchema,
  offscreenDeclineSchema,
]);
export type SwToOffscreen = z.infer<typeof swToOffscreenSchema>;

// ---- Responses ----

/** The answer to any command: done, or a sentence saying why not. */
export const commandResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), error: z.string(), action: callErrorActionSchema }),
]);
export type CommandResult = z.infer<typeof commandResultSchema>;

export const authInfoSchema = z.object({
  backendUrl: z.string(),
  accessToken: z.string().nullable(),
});
export type AuthInfo = z.infer<typeof authInfoSchema>;

export const signInResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), session: sessionSchema }),
  z.object({ ok: z.literal(false), error: z.string(), action: callErrorActionSchema }),
]);
export type SignInResult = z.infer<typeof signInResultSchema>;

/** Keys in chrome.storage. */
export const SESSION_STORAGE_KEY = 'c2c:session';
export const SOFTPHONE_STATE_STORAGE_KEY = 'c2c:softphone-state';
/** chrome.storage.session: the wrap-up offered for the last ended call (background/wrap-up-offer.ts). */
export const WRAP_UP_STORAGE_KEY = 'c2c:wrap-up';

/** What the confirmation window shows of a dial waiting for the agent. */
export const pendingDialViewSchema = z.discriminatedUnion('found', [
  z.object({
    found: z.literal(true),
    number: z.string(),
    extension: z.string().optional(),
    contactName: z.string().optional(),
    why: z.string(),
    pageUrl: z.string().optional(),
    mode: z.enum(['confirm', 'countdown']),
  }),
  z.object({ found: z.literal(false) }),
]);
export type PendingDialView = z.infer<typeof pendingDialViewSchema>;
