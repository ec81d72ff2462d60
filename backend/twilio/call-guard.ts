// Decides whether an agent may place a call to a number: valid, allowed country, not premium, within limits (toll-fraud guard).
// The number is checked here, before the database; the agent's limits (one open call, the rate limit) are checked by the
// database under the agent's row lock (CallStore.placeOutboundCall), with the sentences from limitMessages.
import { extensionDigitsSchema, MAX_EXTENSION_LENGTH, WRAP_UP_REQUIRED_MESSAGE } from '../../shared/api.js';
import { EMERGENCY_CALL_MESSAGE, isEmergencyNumber } from '../calls/emergency.js';
import { toE164 } from '../../shared/phone/normalize.js';
import { checkDestination, DEFAULT_BLOCKED_RANGES, type BlockedRange } from '../../shared/phone/destination-policy.js';

export { DEFAULT_BLOCKED_RANGES, blockedRanges, type BlockedRange } from '../../shared/phone/destination-policy.js';

export interface GuardSettings {
  defaultCountry: string;
  allowedCountries: readonly string[];
  rateLimit: { calls: number; windowSeconds: number };
  /** Ranges refused on top of the number types below; DEFAULT_BLOCKED_RANGES when not given. */
  blockedRanges?: readonly BlockedRange[];
  /** Calls an organization may place in 24 hours (all its agents together, refused ones included). */
  orgDailyCallLimit?: number;
}

export type GuardDecision =
  | { ok: true; e164: string }
  | { ok: false; code: NumberRefusal; reason: string; e164: string | null };

export type NumberRefusal =
  | 'invalid-number'
  | 'country-not-allowed'
  | 'premium-number'
  | 'shared-cost-number'
  | 'personal-number'
  | 'unknown-number-type'
  | 'emergency-number'
  | 'invalid-extension'
  | (string & {});

export type GuardRefusal = NumberRefusal | 'rate-limited' | 'agent-busy' | 'organization-limit';

/** The number's checks, without the database. */
export function checkOutboundNumber(to: string, settings: GuardSettings, normalize: typeof toE164 = toE164): GuardDecision {
  // Before validation: 911 is not "an invalid number" to a person who needs help, and the sentence says what to do.
  if (isEmergencyNumber(to)) return { ok: false, code: 'emergency-number', reason: EMERGENCY_CALL_MESSAGE, e164: null };
  const n = normalize(to, settings.defaultCountry);
  if (!n.ok) return { ok: false, code: 'invalid-number', reason: `This call was refused: ${n.message}`, e164: null };
  const verdict = checkDestination(n, { allowedCountries: settings.allowedCountries, blockedRanges: settings.blockedRanges ?? DEFAULT_BLOCKED_RANGES });
  if (verdict.ok) return { ok: true, e164: n.e164 };
  if ('country' in verdict) {
    return {
      ok: false,
      code: 'country-not-allowed',
      reason: `This call was refused: calls to ${n.country ?? 'that destination'} are not allowed. Allowed: ${settings.allowedCountries.join(', ')}.`,
      e164: n.e164,
    };
  }
  if ('range' in verdict) return { ok: false, code: verdict.code, reason: `This call was refused: ${n.e164} is in a range that is not allowed: ${verdict.range.words}.`, e164: n.e164 };
  return { ok: false, code: verdict.code, reason: `This call was refused: ${n.e164} ${verdict.words}.`, e164: n.e164 };
}

const INVALID_EXTENSION_MESSAGE = `This call was refused: the extension can only be up to ${MAX_EXTENSION_LENGTH} digits, *, # and w or W pauses.`;

/** The extension sent with the dial (a Voice SDK custom parameter): absent, well-formed, or a refusal. */
export function checkExtension(value: string | undefined): { ok: true; extension: string | null } | { ok: false; code: 'invalid-extension'; reason: string } {
  if (value === undefined || value === '') return { ok: true, extension: null };
  return extensionDigitsSchema.safeParse(value).success
    ? { ok: true, extension: value }
    : { ok: false, code: 'invalid-extension', reason: INVALID_EXTENSION_MESSAGE };
}

/** The agent's limits as the database checks them: the window's start and the sentences of its refusals. */
export function agentLimits(now: Date, settings: GuardSettings) {
  const minutes = Math.round(settings.rateLimit.windowSeconds / 60);
  const orgCalls = settings.orgDailyCallLimit ?? DEFAULT_ORG_DAILY_CALL_LIMIT;
  return {
    rateLimit: { calls: settings.rateLimit.calls, since: new Date(now.getTime() - settings.rateLimit.windowSeconds * 1000) },
    orgLimit: { calls: orgCalls, since: new Date(now.getTime() - 24 * 3600 * 1000) },
    limitMessages: {
      agentBusy: 'This call was refused: you are already on a call. Hang up first.',
      rateLimited: `This call was refused: you placed ${settings.rateLimit.calls} calls in the last ${minutes} minutes. Wait a few minutes and try again.`,
      orgLimited: `This call was refused: your organization placed ${orgCalls} calls in the last 24 hours, its daily limit. Ask your admin to raise ORG_DAILY_CALL_LIMIT or try again later.`,
      // Used only when the agent's organization requires wrap-ups and their last call has none (wrapups.ts).
      wrapUpRequired: WRAP_UP_REQUIRED_MESSAGE,
    },
  };
}

export const DEFAULT_ORG_DAILY_CALL_LIMIT = 2000;
