// Voice SDK and simulator error codes turned into sentences a person can act on, with the fix to offer.
import type { CallError } from './softphone.js';

/** 31401 / 31208: the browser refused the microphone. */
export const MICROPHONE_ERROR_CODES: ReadonlySet<number> = new Set([31401, 31208]);
/** Access token invalid or expired: the softphone refreshes the token once and retries. */
export const TOKEN_ERROR_CODES: ReadonlySet<number> = new Set([20101, 20104, 31204, 31205]);

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
    return { code, message: 'Your calling session expired and could not be renewed; sign in again.', action: 'sign-in' };
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
