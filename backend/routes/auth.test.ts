import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFRESH_REUSE_WINDOW_SECONDS } from '../auth/embedded-auth.js';
import { createTestBackend, PASSWORD, type TestBackend } from '../../test/support/backend/test-backend.js';

let t: TestBackend;
beforeAll(async () => {
  t = await createTestBackend();
});
afterAll(() => t.close());

const post = (path: string, body: unknown) =>
  t.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const whoAmI = (token: string) => t.app.request('/api/agents', { headers: { authorization: `Bearer ${token}` } });

describe('sign-in and sessions', () => {
  it('signs an agent in with a Supabase-shaped access token and a refresh token', async () => {
    const res = await post('/api/auth/login', { email: 'Alice@Acme.test', password: PASSWORD });
    expect(res.status).toBe(200);
    const s = (await res.json()) as { accessToken: string; refreshToken: string; expiresAt: string; agent: { email: string; organizationName: string } };
    expect(s.agent).toMatchObject({ email: 'alice@acme.test', organizationName: 'Acme' });
    const [, payload] = s.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    expect(claims).toMatchObject({ sub: t.agents.alice.id, email: 'alice@acme.test', role: 'authenticated', aud: 'authenticated' });
    expect(claims.exp - claims.iat).toBe(900);
    expect((await whoAmI(s.accessToken)).status).toBe(200);
  });

  it('refuses a wrong password without saying whether the email exists', async () => {
    const wrong = await post('/api/auth/login', { email: 'alice@acme.test', password: 'nope' });
    const unknown = await post('/api/auth/login', { email: 'nobody@acme.test', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it('explains a malformed email in a sentence', async () => {
    const res = await post('/api/auth/login', { email: 'not-an-email', password: 'x' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'invalid-request', message: 'Enter a valid email address.' } });
  });

  it('rotates refresh tokens and ends the session when a used one comes back', async () => {
    const first = (await (await post('/api/auth/login', { email: 'bob@acme.test', password: PASSWORD })).json()) as { refreshToken: string };
    const second = await post('/api/auth/refresh', { refreshToken: first.refreshToken });
    expect(second.status).toBe(200);
    const next = (await second.json()) as { refreshToken: string; accessToken: string };
    expect(next.refreshToken).not.toBe(first.refreshToken);
    // The old token again, after the few seconds concurrent refreshes get: refused, and the whole session with it.
    t.clock.advance((REFRESH_REUSE_WINDOW_SECONDS + 1) * 1000);
    expect((await post('/api/auth/refresh', { refreshToken: first.refreshToken })).status).toBe(401);
    expect((await post('/api/auth/refresh', { refreshToken: next.refreshToken })).status).toBe(401);
  });

  it('revokes the refresh token at sign-out', async () => {
    const s = (await (await post('/api/auth/login', { email: 'eve@globex.test', password: PASSWORD })).json()) as { refreshToken: string };
    expect((await post('/api/auth/logout', { refreshToken: s.refreshToken })).status).toBe(204);
    expect((await post('/api/auth/refresh', { refreshToken: s.refreshToken })).status).toBe(401);
  });

  it('refuses access tokens that are expired, unsigned, wrongly signed or for another audience', async () => {
    const good = await t.login('alice@acme.test');
    t.clock.advance(16 * 60_000);
    expect((await whoAmI(good)).status).toBe(401);
    t.clock.advance(-16 * 60_000);

    const [header, payload] = good.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    expect((await whoAmI(none)).status).toBe(401);
    expect((await whoAmI(`${header}.${payload}.${'A'.repeat(43)}`)).status).toBe(401);

    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const otherKey = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('x'.repeat(64)));
    expect((await whoAmI(otherKey)).status).toBe(401);
  });
});
