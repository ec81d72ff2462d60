// Places a call for any source (page, popup, context menu, shortcut): normalizes the number, enforces one call at a time.
import { DIAL_LIMITS, extensionDigitsSchema } from '../protocol/messages.js';
import { toE164 } from '../../shared/phone/normalize.js';
import type { CommandResult, DialSource } from '../protocol/extension-messages.js';
import { createCaller, NoAnswerError } from '../protocol/messenger.js';
import { offscreenProtocol, type OffscreenRequest } from '../protocol/offscreen.js';
import type { ExtensionOptions } from '../lib/options.js';
import { isCallLive, type SoftphoneState } from '../protocol/softphone.js';
import type { AuthInfo } from '../protocol/extension-messages.js';
import { pickCallFrom, type CallFromChoice } from '../lib/call-from.js';

export interface DialRequestInput {
  to: string;
  extension?: string;
  contactName?: string;
  pageUrl?: string;
  pageTitle?: string;
}

export interface SoftphoneLink {
  /** Creates the offscreen document if needed. */
  ensureOffscreen(): Promise<void>;
  /** Delivers one request to the offscreen document; its answer is checked against protocol/offscreen.ts here. */
  sendToOffscreen(message: OffscreenRequest): Promise<unknown>;
}

const softphoneOf = (link: SoftphoneLink) => createCaller(offscreenProtocol, (message) => link.sendToOffscreen(message));

export interface DialDeps extends SoftphoneLink {
  getOptions(): Promise<ExtensionOptions>;
  getAuth(): Promise<AuthInfo>;
  /** Tells the agent why a call did not start (a system notification). */
  notifyFailure(message: string): Promise<void>;
  openPermissionPage(): Promise<void>;
  /** The agent's "Call from" choice (the popup keeps it); absent or null: the organization's default number. */
  getCallFrom?(): Promise<CallFromChoice | null>;
  /** The sentence that stops the dial while a required wrap-up is missing (wrap-up-offer.ts); null to go on. */
  holdBeforeDial?(): Promise<string | null>;
}

export const ONE_CALL_MESSAGE = 'A call is already in progress; hang up before calling another number.';

/** The softphone's state, read from the offscreen document (the one source of truth). */
export async function readSoftphoneState(link: SoftphoneLink): Promise<SoftphoneState> {
  await link.ensureOffscreen();
  return softphoneOf(link)('c2c:offscreen:get-state');
}

export async function placeCall(input: DialRequestInput, source: DialSource, deps: DialDeps): Promise<CommandResult> {
  const result = await tryPlaceCall(input, deps);
  if (!result.ok && source !== 'popup') await deps.notifyFailure(result.error);
  if (!result.ok && result.action === 'open-permission') await deps.openPermissionPage();
  return result;
}

async function tryPlaceCall(input: DialRequestInput, deps: DialDeps): Promise<CommandResult> {
  const options = await deps.getOptions();
  const number = toE164(input.to, options.defaultCountry);
  if (!number.ok) return { ok: false, error: number.message, action: null };
  const auth = await deps.getAuth();
  if (!auth.accessToken) return { ok: false, error: 'Sign in to call: open the Click-to-call popup and sign in.', action: 'sign-in' };
  let state: SoftphoneState;
  try {
    state = await readSoftphoneState(deps);
  } catch {
    return { ok: false, error: 'The softphone did not start; reload the extension and try again.', action: null };
  }
  if (isCallLive(state.call)) return { ok: false, error: ONE_CALL_MESSAGE, action: null };
  const held = await deps.holdBeforeDial?.();
  if (held) return { ok: false, error: held, action: null };
  const extension = input.extension ?? number.extension;
  if (extension !== undefined && !extensionDigitsSchema.safeParse(extension).success) {
    return { ok: false, error: 'That extension cannot be dialled: use digits, * and # only (at most 16).', action: null };
  }
  const callFrom = pickCallFrom(number.e164, (await deps.getCallFrom?.().catch(() => null)) ?? null);
  const dialled = softphoneOf(deps)('c2c:offscreen:dial', {
    params: {
      To: number.e164,
      // Sent with the call so the backend checks the digits and has Twilio send them after the answer.
      ...(extension !== undefined ? { extension } : {}),
      ...(input.contactName ? { contactName: input.contactName.slice(0, DIAL_LIMITS.contactName) } : {}),
      ...(input.pageUrl ? { pageUrl: input.pageUrl.slice(0, DIAL_LIMITS.pageUrl) } : {}),
      ...(input.pageTitle ? { pageTitle: input.pageTitle.slice(0, DIAL_LIMITS.pageTitle) } : {}),
      ...(callFrom ? { callFrom } : {}),
    },
  });
  return dialled.catch((error: unknown) => {
    if (error instanceof NoAnswerError) return { ok: false, error: 'The softphone did not answer; reload the extension and try again.', action: null };
    throw error;
  });
}
