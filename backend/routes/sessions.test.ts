// Sessions that end: sign-out revokes the session's access tokens (and its Voice tokens), a revocation survives a restart,
// and concurrent refreshes of one refresh token all succeed within a few seconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../shared/api.js';
import { createEmbeddedAuth, REFRESH_REUSE_WINDOW_SECONDS } from '../auth/embedded-auth.js';
import { createTestBackend, PASSWORD, type TestBackend } from '../../test/support/backend/test-backend.js';

let t: TestBackend;
beforeAll(async () => {
  t = await createTestBackend();
});
afterAll(() => t.close());

const post = (path: string, body: unknown, token?: string) =>
  t.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
const get = (path: string, token: string) => t.app.request(path, { headers: { authorization: `Bearer ${token}` } });
const login = async (email: string) => (await (await post('/api/auth/login', { email, password: PASSWORD })).json()) as Session;

describe('sign-out', () => {
  it('refuses the session’s access token on every route at once, and mints no Voice token for it', async () => {
    const s = await login('alice@acme.test');
    const other = await login('alice@acme.test');
    expect((await get('/api/calls', s.accessToken)).status).toBe(200);
    expect((await post('/api/auth/logout', { refreshToken: s.refreshToken })).status).toBe(204);

    const calls = await get('/api/calls', s.accessToken);
    expect(calls.status).toBe(401);
    expect(await calls.json()).toEqual({ error: { code: 'invalid-token', message: 'Your session has ended. Sign in again.' } });
    expect((await get('/api/agents', s.accessToken)).status).toBe(401);
    expect((await post('/api/twilio/token', {}, s.accessToken)).status).toBe(401);
    // The same agent's other session goes on.
    expect((await get('/api/calls', other.accessToken)).status).toBe(200);
    expect((await post('/api/twilio/token', {}, other.accessToken)).status).toBe(200);
  });

  it('keeps the revocation across a restart of the server on the same database', async () => {
    const s = await login('bob@acme.test');
    expect((await post('/api/auth/logout', { refreshToken: s.refreshToken })).status).toBe(204);
    const restarted = createEmbeddedAuth({ db: t.db, store: t.deps.store, jwtSecret: t.jwtSecret, now: t.clock.now });
    await expect(restarted.verifyAccessToken(s.accessToken)).rejects.toMatchObject({ code: 'session-ended' });
    const fresh = await login('bob@acme.test');
    await expect(restarted.verifyAccessToken(fresh.accessToken)).resolves.toMatchObject({ userId: t.agents.bob.id });
  });

  it('ends the session’s access tokens when a rotated refresh token comes back after the reuse window', async () => {
    const s = await login('eve@globex.test');
    const next = (await (await post('/api/auth/refresh', { refreshToken: s.refreshToken })).json()) as Session;
    t.clock.advance((REFRESH_REUSE_WINDOW_SECONDS + 1) * 1000);
    expect((await post('/api/auth/refresh', { refreshToken: s.refreshToken })).status).toBe(401);
    expect((await get('/api/calls', next.accessToken)).status).toBe(401);
    expect((await post('/api/auth/refresh', { refreshToken: next.refreshToken })).status).toBe(401);
  });
});

describe('concurrent refreshes', () => {
  it('answers three simultaneous refreshes of one token with three working sessions', async () => {
    const s = await login('alice@acme.test');
    const results = await Promise.all([1, 2, 3].map(() => post('/api/auth/refresh', { refreshToken: s.refreshToken })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const sessions = (await Promise.all(results.map((r) => r.json()))) as Session[];
    for (const next of sessions) expect((await get('/api/calls', next.accessToken)).status).toBe(200);
    // A retry a moment later (within the window) works too; each new refresh token works once more.
    t.clock.advance(2000);
    expect((await post('/api/auth/refresh', { refreshToken: s.refreshToken })).status).toBe(200);
    expect((await post('/api/auth/refresh', { refreshToken: sessions[2]!.refreshToken })).status).toBe(200);
  });

  it('does not revive a session that was signed out, even within the window', async () => {
    const s = await login('bob@acme.test');
    expect((await post('/api/auth/logout', { refreshToken: s.refreshToken })).status).toBe(204);
    expect((await post('/api/auth/refresh', { refreshToken: s.refreshToken })).status).toBe(401);
  });
});
