// The agent's session against the real backend (in-process): concurrent callers share one refresh and nobody is signed out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackend, PASSWORD, type TestBackend } from '../../test/support/backend/test-backend.js';
import { parseExtensionOptions } from '../lib/options.js';
import { getAuth, inProcessLock, readSession, signIn, type SessionDeps } from './session.js';

describe('session refresh', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await createTestBackend();
  });
  afterAll(() => backend.close());

  function deps(lock: SessionDeps['lock']): SessionDeps & { stored: Record<string, unknown>; removals: number } {
    const stored: Record<string, unknown> = {};
    const d = {
      stored,
      removals: 0,
      storage: {
        get: async (key: string) => ({ [key]: stored[key] }),
        set: async (items: Record<string, unknown>) => void Object.assign(stored, items),
        remove: async (key: string) => {
          d.removals += 1;
          delete stored[key];
        },
      },
      getOptions: async () => parseExtensionOptions({}, { backendUrl: 'http://127.0.0.1:3003' }),
      fetchImpl: (async (input: string | URL | Request, init?: RequestInit) => {
        const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
        return backend.app.request(url.pathname + url.search, init);
      }) as typeof fetch,
      // The backend's clock: the session is read as a minute from expiry, so every caller wants a refresh.
      now: () => Date.parse(((stored['c2c:session'] as { expiresAt?: string } | undefined)?.expiresAt ?? new Date().toISOString())) - 60_000,
      lock,
    };
    return d;
  }

  it('gives every one of three concurrent callers a token, 50 rounds running, without signing the agent out', async () => {
    const d = deps(inProcessLock());
    expect((await signIn(d, 'alice@acme.test', PASSWORD)).ok).toBe(true);
    for (let round = 0; round < 50; round++) {
      const answers = await Promise.all([getAuth(d), getAuth(d), getAuth(d)]);
      expect(answers.every((a) => a.accessToken !== null)).toBe(true);
      backend.clock.advance(1000);
    }
    expect(d.removals).toBe(0);
    expect(await readSession(d)).not.toBeNull();
  });
});
