// Voice SDK and simulator error codes turned into sentences a person can act on, with the fix to offer.
import type { CallError } from './softphone.js';

/** 31401 / 31208: the browser refused the microphone. */
export const MICROPHONE_ERROR_CODES: ReadonlySet<number> = new Set([31401, 31208]);
/**
 * A token Twilio found invalid or expired, as the Voice SDK reports it: the SDK turns Twilio's 31204 into 20101 and 31205
 * into 20104 (31204/31205 kept for the simulator). A new token may fix it (clock skew, a token minted too early).
 */
export const TOKEN_ERROR_CODES: ReadonlySet<number> = new Set([20101, 20104, 31204, 31205]);
/**
 * Credentials Twilio refuses whatever the token: wrong API key or secret (31202), another account (31203), a grant it
 * refuses (20151, the SDK's name for Twilio's 31201), too long a lifetime (31207). A new token from the same server is refused
 * the same way, so the softphone stops and says who can fix it.
 */
export const CREDENTIAL_ERROR_CODES: ReadonlySet<number> = new Set([31202, 31203, 20151, 31201, 31207]);
/** The signalling connection failing or dropping: the SDK retries it by itself; the softphone's timeouts bound the wait. */
export const SIGNALLING_ERROR_CODES: ReadonlySet<number> = new Set([31000, 31003, 31005, 31009, 53000]);

export const TWILIO_UNREACHABLE_MESSAGE =
  "Can't reach Twilio: check your network, or ask your administrator whether a firewall or proxy blocks wss://*.twilio.com.";

const SENTENCES: Readonly<Record<number, string>> = {
  31000: 'The call failed because of an unexpected error at Twilio.',
  31002: 'The call could not be connected.',
  31003: 'The call could not start because no connection to Twilio could be made.',
  31005: 'The connection to Twilio was lost.',
  31009: 'The connection to Twilio dropped; check your network.',
  31404: 'That number could not be found; check it and try again.',
  31480: 'The person you called is temporarily unavailable.',
  31486: 'The line is busy.',
  31600: 'The line is busy everywhere the call was tried.',
  31603: 'The call was declined.',
  31604: 'That number does not exist.',
  53405: 'The call audio could not connect; check your network or firewall.',
};

/**
 * Describes a failure. `message` is what the source said; with `preferMessage` (the simulator's
 * spoken reason is already a sentence for people) it wins over the generic sentence for the code.
 */
export function describeVoiceError(code: number | null, message?: string, preferMessage = false): CallError {
  if (code !== null && MICROPHONE_ERROR_CODES.has(code)) {
    return { code, message: 'Microphone blocked — click to fix.', action: 'open-permission' };
  }
  if (code !== null && TOKEN_ERROR_CODES.has(code)) {
    return {
      code,
      message: `Twilio keeps refusing your calling session (error ${code}). Check that this computer's clock is right, then sign in again.`,
      action: 'sign-in',
    };
  }
  if (code !== null && CREDENTIAL_ERROR_CODES.has(code)) {
    return {
      code,
      message: `Twilio refused this server's calling credentials (error ${code}); ask your administrator to check TWILIO_ACCOUNT_SID, TWILIO_API_KEY and TWILIO_API_SECRET.`,
      action: null,
    };
  }
  const known = code !== null ? SENTENCES[code] : undefined;
  const said = message?.trim();
  if (said && (preferMessage || !known)) return { code, message: asSentence(said), action: null };
  if (known) return { code, message: known, action: null };
  return { code, message: code !== null ? `The call failed (error ${code}).` : 'The call failed.', action: null };
}

function asSentence(text: string): string {
  const first = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
