// The worker reads the organization's destination policy from the backend's /api/config over real HTTP, keeps it a few
// minutes per backend, and falls back to the last one it read while the backend is unreachable.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackend, type TestBackend } from '../../test/support/backend/test-backend.js';
import { policyFromWire } from '../protocol/messages.js';
import { checkDestination } from '../../shared/phone/destination-policy.js';
import { toE164 } from '../../shared/phone/normalize.js';
import { NUMBER_POLICY_TTL_MS, readNumberPolicy } from './number-policy.js';

let t: TestBackend;
let server: ServerType;
let url: string;
beforeAll(async () => {
  t = await createTestBackend({ ALLOWED_COUNTRIES: 'US,CA', ALLOW_NUMBER_RANGES: 'ca-high-cost', BLOCKED_NUMBER_PREFIXES: '+1212555' });
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: (req) => t.app.fetch(req), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await t.close();
});

function memoryStorage() {
  const items: Record<string, unknown> = {};
  return { get: async (key: string) => ({ [key]: items[key] }), set: async (more: Record<string, unknown>) => void Object.assign(items, more) };
}

const callable = (policy: ReturnType<typeof policyFromWire>, number: string) => {
  const n = toE164(number);
  if (!n.ok) throw new Error(number);
  return checkDestination(n, policy).ok;
};

describe('readNumberPolicy', () => {
  it("reads the backend's allowed countries and ranges, which check numbers as the backend does", async () => {
    let fetches = 0;
    const countingFetch: typeof fetch = (input, init) => (fetches++, fetch(input, init));
    let now = 1_000_000;
    const deps = { backendUrl: async () => url, storage: memoryStorage(), now: () => now, fetchImpl: countingFetch };
    const wire = await readNumberPolicy(deps);
    expect(wire?.allowedCountries).toEqual(['US', 'CA']);
    const policy = policyFromWire(wire!);
    expect(callable(policy, '+14155550134')).toBe(true);
    expect(callable(policy, '+442079460958')).toBe(false);
    expect(callable(policy, '+19005550199')).toBe(false);
    expect(callable(policy, '+12125550100')).toBe(false);
    // ALLOW_NUMBER_RANGES let 867 through again; the 976 exchanges stay refused.
    expect(callable(policy, '+18675550123')).toBe(true);
    expect(callable(policy, '+12129765555')).toBe(false);

    // Kept for a while, then asked again.
    await readNumberPolicy(deps);
    expect(fetches).toBe(1);
    now += NUMBER_POLICY_TTL_MS + 1;
    await readNumberPolicy(deps);
    expect(fetches).toBe(2);
  });

  it('uses the last policy of the same backend while it is unreachable, and none of another backend', async () => {
    const storage = memoryStorage();
    let now = 0;
    await readNumberPolicy({ backendUrl: async () => url, storage, now: () => now });
    now += NUMBER_POLICY_TTL_MS + 1;
    const down: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    expect((await readNumberPolicy({ backendUrl: async () => url, storage, now: () => now, fetchImpl: down }))?.allowedCountries).toEqual(['US', 'CA']);
    expect(await readNumberPolicy({ backendUrl: async () => 'http://127.0.0.1:9', storage, now: () => now, fetchImpl: down })).toBeNull();
  });
});
