// Decides whether an agent may place a call to a number: valid, allowed country, not premium, within limits (toll-fraud guard).
// The number is checked here, before the database; the agent's limits (one open call, the rate limit) are checked by the
// database under the agent's row lock (CallStore.placeOutboundCall), with the sentences from limitMessages.
import { toE164 } from '../../shared/phone/normalize.js';

export interface GuardSettings {
  defaultCountry: string;
  allowedCountries: readonly string[];
  rateLimit: { calls: number; windowSeconds: number };
}

export type GuardDecision =
  | { ok: true; e164: string }
  | { ok: false; code: NumberRefusal; reason: string; e164: string | null };

export type NumberRefusal = 'invalid-number' | 'country-not-allowed' | 'premium-number' | 'shared-cost-number' | 'unknown-number-type';

export type GuardRefusal = NumberRefusal | 'rate-limited' | 'agent-busy';

/** Number types that cost the caller more than a normal call, or whose cost cannot be known. */
const REFUSED_TYPES: Record<string, { code: NumberRefusal; words: string }> = {
  PREMIUM_RATE: { code: 'premium-number', words: 'is a premium-rate number' },
  SHARED_COST: { code: 'shared-cost-number', words: 'is a shared-cost number' },
};
const UNKNOWN_TYPE = { code: 'unknown-number-type', words: 'is of an unknown type, so its cost cannot be known' } as const;

/** The number's checks, without the database. */
export function checkOutboundNumber(to: string, settings: GuardSettings, normalize: typeof toE164 = toE164): GuardDecision {
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
  const refused = n.type === undefined ? UNKNOWN_TYPE : REFUSED_TYPES[n.type];
  if (refused) {
    return { ok: false, code: refused.code, reason: `This call was refused: ${n.e164} ${refused.words}.`, e164: n.e164 };
  }
  return { ok: true, e164: n.e164 };
}

/** The agent's limits as the database checks them: the window's start and the sentences of its refusals. */
export function agentLimits(now: Date, settings: GuardSettings) {
  const minutes = Math.round(settings.rateLimit.windowSeconds / 60);
  return {
    rateLimit: { calls: settings.rateLimit.calls, since: new Date(now.getTime() - settings.rateLimit.windowSeconds * 1000) },
    limitMessages: {
      agentBusy: 'This call was refused: you are already on a call. Hang up first.',
      rateLimited: `This call was refused: you placed ${settings.rateLimit.calls} calls in the last ${minutes} minutes. Wait a few minutes and try again.`,
    },
  };
}
