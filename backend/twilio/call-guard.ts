// Decides whether an agent may place a call to a number: valid, allowed country, not premium, within limits (toll-fraud guard).
import { toE164 } from '../../shared/phone/normalize.js';
import type { CallStore } from '../store/call-store.js';

export interface GuardSettings {
  defaultCountry: string;
  allowedCountries: readonly string[];
  rateLimit: { calls: number; windowSeconds: number };
}

export type GuardDecision =
  | { ok: true; e164: string }
  | { ok: false; code: GuardRefusal; reason: string; e164: string | null };

export type GuardRefusal =
  | 'invalid-number'
  | 'country-not-allowed'
  | 'premium-number'
  | 'shared-cost-number'
  | 'unknown-number-type'
  | 'rate-limited'
  | 'agent-busy';

/** Number types that cost the caller more than a normal call, or whose cost cannot be known. */
const REFUSED_TYPES: Record<string, { code: GuardRefusal; words: string }> = {
  PREMIUM_RATE: { code: 'premium-number', words: 'is a premium-rate number' },
  SHARED_COST: { code: 'shared-cost-number', words: 'is a shared-cost number' },
};
const UNKNOWN_TYPE = { code: 'unknown-number-type', words: 'is of an unknown type, so its cost cannot be known' } as const;

export async function checkOutboundCall(
  input: { to: string; agentId: string; now: Date },
  settings: GuardSettings,
  store: Pick<CallStore, 'agentCallCounts'>,
  normalize: typeof toE164 = toE164,
): Promise<GuardDecision> {
  const n = normalize(input.to, settings.defaultCountry);
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
  const since = new Date(input.now.getTime() - settings.rateLimit.windowSeconds * 1000);
  const counts = await store.agentCallCounts(input.agentId, since);
  if (counts.open > 0) {
    return { ok: false, code: 'agent-busy', reason: 'This call was refused: you are already on a call. Hang up first.', e164: n.e164 };
  }
  if (counts.recent >= settings.rateLimit.calls) {
    const minutes = Math.round(settings.rateLimit.windowSeconds / 60);
    return {
      ok: false,
      code: 'rate-limited',
      reason: `This call was refused: you placed ${settings.rateLimit.calls} calls in the last ${minutes} minutes. Wait a few minutes and try again.`,
      e164: n.e164,
    };
  }
  return { ok: true, e164: n.e164 };
}
