// Decides whether an agent may place a call to a number: valid, allowed country, not premium, within limits (toll-fraud guard).
// The number is checked here, before the database; the agent's limits (one open call, the rate limit) are checked by the
// database under the agent's row lock (CallStore.placeOutboundCall), with the sentences from limitMessages.
import { extensionDigitsSchema, MAX_EXTENSION_LENGTH, WRAP_UP_REQUIRED_MESSAGE } from '../../shared/api.js';
import { EMERGENCY_CALL_MESSAGE, isEmergencyNumber } from '../../shared/emergency.js';
import { toE164 } from '../../shared/phone/normalize.js';

/** A range of E.164 numbers refused by default because calling it costs more than a normal call, or an unknown amount. */
export interface BlockedRange {
  id: string;
  pattern: RegExp;
  words: string;
}

/**
 * NANP ranges that libphonenumber types as ordinary numbers but that bill the caller extra (the FCC and CNAC numbering
 * plans): 976 exchanges in any area code (the old pay-per-call "976" lines, still tariffed by some carriers), the
 * 5XX personal communications service codes (forwarded anywhere, often abroad), 867 (Yukon, Northwest Territories and
 * Nunavut: high termination rates, a classic target of traffic pumping) and 600 (Canadian non-geographic services:
 * satellite and data numbers at the carrier's price). Any of them can be allowed again with ALLOW_NUMBER_RANGES.
 */
export const DEFAULT_BLOCKED_RANGES: readonly BlockedRange[] = [
  { id: 'nanp-976', pattern: /^\+1[2-9]\d{2}976\d{4}$/, words: 'a 976 exchange, which may bill the caller per minute' },
  {
    id: 'nanp-personal',
    pattern: /^\+15(?:00|2[1-9]|3[235]|38|4[2-79]|5[02-468]|6[69]|7[78]|8[89])\d{7}$/,
    words: 'a 5XX personal communications number, which may forward anywhere at any price',
  },
  { id: 'ca-high-cost', pattern: /^\+1867\d{7}$/, words: 'a high-cost northern Canada range (867)' },
  { id: 'ca-non-geographic', pattern: /^\+1600\d{7}$/, words: 'a Canadian non-geographic range (600)' },
];

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

/** Number types that cost the caller more than a normal call, or whose cost cannot be known. */
const REFUSED_TYPES: Record<string, { code: NumberRefusal; words: string }> = {
  PREMIUM_RATE: { code: 'premium-number', words: 'is a premium-rate number' },
  SHARED_COST: { code: 'shared-cost-number', words: 'is a shared-cost number' },
  // Personal numbers follow the person anywhere (a forward abroad is billed to the caller).
  PERSONAL_NUMBER: { code: 'personal-number', words: 'is a personal number, which may forward anywhere at any price' },
};
const UNKNOWN_TYPE = { code: 'unknown-number-type', words: 'is of an unknown type, so its cost cannot be known' } as const;

/** The number's checks, without the database. */
export function checkOutboundNumber(to: string, settings: GuardSettings, normalize: typeof toE164 = toE164): GuardDecision {
  // Before validation: 911 is not "an invalid number" to a person who needs help, and the sentence says what to do.
  if (isEmergencyNumber(to)) return { ok: false, code: 'emergency-number', reason: EMERGENCY_CALL_MESSAGE, e164: null };
  const n = normalize(to, settings.defaultCountry);
  if (!n.ok) return { ok: false, code: 'invalid-number', reason: `This call was refused: ${n.message}`, e164: null };
  if (!n.country || !settings.allowedCountries.includes(n.country)) {
    return {
      ok: false,
      code: 'country-not-allowed',
      reason: `This call was refused: calls to ${n.country ?? 'that destination'} are not allowed. Allowed: ${settings.allowedCountries.join(', ')}.`,
      e164: n.e164,
    };
  }
  // The ranges first: they name the reason more exactly than the number's type does.
  const range = (settings.blockedRanges ?? DEFAULT_BLOCKED_RANGES).find((r) => r.pattern.test(n.e164));
  if (range) return { ok: false, code: range.id, reason: `This call was refused: ${n.e164} is in a range that is not allowed: ${range.words}.`, e164: n.e164 };
  const refused = n.type === undefined ? UNKNOWN_TYPE : REFUSED_TYPES[n.type];
  if (refused) {
    return { ok: false, code: refused.code, reason: `This call was refused: ${n.e164} ${refused.words}.`, e164: n.e164 };
  }
  return { ok: true, e164: n.e164 };
}

export const INVALID_EXTENSION_MESSAGE = `This call was refused: the extension can only be up to ${MAX_EXTENSION_LENGTH} digits, *, # and w or W pauses.`;

/** The extension sent with the dial (a Voice SDK custom parameter): absent, well-formed, or a refusal. */
export function checkExtension(value: string | undefined): { ok: true; extension: string | null } | { ok: false; code: 'invalid-extension'; reason: string } {
  if (value === undefined || value === '') return { ok: true, extension: null };
  return extensionDigitsSchema.safeParse(value).success
    ? { ok: true, extension: value }
    : { ok: false, code: 'invalid-extension', reason: INVALID_EXTENSION_MESSAGE };
}

/** The default ranges without the ones ALLOW_NUMBER_RANGES names, plus BLOCKED_NUMBER_PREFIXES (E.164 prefixes) as ranges. */
export function blockedRanges(allow: readonly string[], extraPrefixes: readonly string[]): BlockedRange[] {
  return [
    ...DEFAULT_BLOCKED_RANGES.filter((r) => !allow.includes(r.id)),
    ...extraPrefixes.map((prefix) => ({
      id: 'blocked-prefix',
      pattern: new RegExp(`^\\${prefix}\\d*$`),
      words: `numbers starting ${prefix}, which this server is set to refuse`,
    })),
  ];
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
