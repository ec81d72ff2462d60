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

export type GuardRefusal = 'invalid-number' | 'country-not-allowed' | 'premium-number' | 'rate-limited' | 'agent-busy';

const REFUSED_TYPES: Record<string, string> = {
  PREMIUM_RATE: 'is a premium-rate number',
  SHARED_COST: 'is a shared-cost number',
};

export async function checkOutboundCall(
  input: { to: string; agentId: string; now: Date },
  settings: GuardSettings,
  store: CallStore,
): Promise<GuardDecision> {
  const n = toE164(input.to, settings.defaultCountry);
  if (!n.ok) return { ok: false, code: 'invalid-number', reason: `This call was refused: ${n.message}`, e164: null };
  if (!n.country || !settings.allowedCountries.includes(n.country)) {
    return {
      ok: false,
      code: 'country-not-allowed',
      reason: `This call was refused: calls to ${n.country ?? 'that destination'} are not allowed. Allowed: ${settings.allowedCountries.join(', ')}.`,
      e164: n.e164,
    };
  }
  const refusedType = REFUSED_TYPES[n.type ?? 'UNKNOWN'] ?? (n.type === undefined ? 'is of an unknown type' : undefined);
  if (refusedType) {
    return { ok: false, code: 'premium-number', reason: `This call was refused: ${n.e164} ${refusedType}.`, e164: n.e164 };
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
