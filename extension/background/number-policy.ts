// The organization's destination policy for the pages and the popup, read from the backend's /api/config by the worker
// (never from a page) and kept for a few minutes in the session area, keyed by the backend it came from.
import { z } from 'zod';
import { configResponseSchema } from '../../shared/api.js';
import { numberPolicyWireSchema, type NumberPolicyWire } from '../protocol/messages.js';
import { DEFAULT_BLOCKED_RANGES, rangesToWire } from '../../shared/phone/destination-policy.js';
import { requestJson } from '../lib/backend-client.js';

const NUMBER_POLICY_STORAGE_KEY = 'c2c:number-policy';
/** How long a policy read from the backend is used before it is asked again. */
export const NUMBER_POLICY_TTL_MS = 5 * 60_000;

const cachedSchema = z.object({ backendUrl: z.string(), at: z.number(), policy: numberPolicyWireSchema });

export interface NumberPolicyDeps {
  backendUrl(): Promise<string>;
  storage: { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> };
  now(): number;
  fetchImpl?: typeof fetch;
}

/** The policy of the configured backend, or null when it cannot be read (the backend still refuses at dial time). */
export async function readNumberPolicy(deps: NumberPolicyDeps): Promise<NumberPolicyWire | null> {
  const backendUrl = await deps.backendUrl();
  const cached = cachedSchema.safeParse((await deps.storage.get(NUMBER_POLICY_STORAGE_KEY))[NUMBER_POLICY_STORAGE_KEY]);
  if (cached.success && cached.data.backendUrl === backendUrl && deps.now() - cached.data.at < NUMBER_POLICY_TTL_MS) return cached.data.policy;
  try {
    const config = await requestJson({ backendUrl, path: '/api/config', schema: configResponseSchema, fetchImpl: deps.fetchImpl });
    const policy = { allowedCountries: config.allowedCountries, blockedRanges: config.blockedRanges ?? rangesToWire(DEFAULT_BLOCKED_RANGES) };
    await deps.storage.set({ [NUMBER_POLICY_STORAGE_KEY]: { backendUrl, at: deps.now(), policy } });
    return policy;
  } catch {
    // A stale policy of the same backend is better than none while it is unreachable.
    return cached.success && cached.data.backendUrl === backendUrl ? cached.data.policy : null;
  }
}
