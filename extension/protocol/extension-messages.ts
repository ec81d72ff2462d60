// What the extension's own contexts (popup, options, permission, worker, offscreen) share: dial sources, answers, storage keys.
import { z } from 'zod';
import { sessionSchema } from '../../shared/api.js';
import { callErrorActionSchema } from './softphone.js';

/** Where a dial request came from: decides nothing, but shows in logs and notifications. */
export const dialSourceSchema = z.enum(['content', 'popup', 'context-menu', 'command']);
export type DialSource = z.infer<typeof dialSourceSchema>;

// The requests are written in the maps of the contexts that answer them: protocol/worker.ts (extension pages → worker),
// protocol/offscreen.ts (worker → softphone), protocol/worker-from-content.ts (content scripts → worker).

// ---- Answers several maps share ----

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
