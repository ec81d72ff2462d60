// Supabase Auth adapter against a GoTrue-compatible server over HTTP, with tokens signed as Supabase signs them (HS256 secret, ES256/RS256 JWKS).
import { randomBytes } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedDatabase } from '../db/embedded-database.js';
import type { SqlClient } from '../db/sql-client.js';
import { createSqlCallStore } from '../store/sql-call-store.js';
import type { CallStore, StoredAgent } from '../store/call-store.js';
import { closedPort } from '../../test/support/backend/closed-port.js';
import { startGoTrueFake, type GoTrueFake, type SigningMode } from '../../test/support/backend/gotrue-fake.js';
import { AuthError, type AuthService } from './auth-service.js';
import { createSupabaseAuth } from './supabase-auth.js';

const API_KEY = 'sb_secret_' + randomBytes(16).toString('hex');
const PASSWORD = 'a long agent password';

let db: SqlClient;
let store: CallStore;
beforeAll(async () => {
  db = await openEmbeddedDatabase(null);
  store = createSqlCallStore(db);
});
afterAll(() => db?.close());

async function authUser(gotrue: GoTrueFake, email: string, agentOf: string | null): Promise<string> {
  const { rows } = await db.query<{ id: string }>('insert into auth.users (email) values ($1) returning id', [email]);
  const id = rows[0]!.id;
  gotrue.addUser({ id, email, password: PASSWORD });
  if (agentOf) await store.upsertAgent({ userId: id, email, displayName: email.split('@')[0]!, organizationName: agentOf });
  return id;
}

const code = (e: unknown) => (e instanceof AuthError ? e.code : e);

const modes: Array<{ name: string; signing: () => SigningMode; secretFor: (m: SigningMode) => string | undefined }> = [
  { name: 'HS256 with SUPABASE_JWT_SECRET', signing: () => ({ alg: 'HS256', secret: randomBytes(32).toString('base64') }), secretFor: (m) => (m.alg === 'HS256' ? m.secret : undefined) },
  { name: 'ES256 from the JWKS', signing: () => ({ alg: 'ES256' }), secretFor: () => undefined },
  { name: 'RS256 from the JWKS', signing: () => ({ alg: 'RS256' }), secretFor: () => undefined },
];

describe.each(modes)('Supabase auth, access tokens signed $name', (mode) => {
  let gotrue: GoTrueFake;
  let auth: AuthService;
  let agentEmail: string;
  let agentId: string;
  const signing = mode.signing();
  beforeAll(async () => {
    gotrue = await startGoTrueFake({ signing, apiKeys: [API_KEY] });
    auth = createSupabaseAuth({ url: gotrue.url, apiKey: API_KEY, jwtSecret: mode.secretFor(signing), store, now: () => new Date() });
    agentEmail = `agent-${randomBytes(4).toString('hex')}@acme.test`;
    agentId = await authUser(gotrue, agentEmail, 'Acme');
  });
  afterAll(() => gotrue?.close());

  it('signs an agent in through Supabase Auth and maps the user to their voip_users row', async () => {
    const session = await auth.login(agentEmail, PASSWORD);
    expect(session.agent).toMatchObject<Partial<StoredAgent>>({ id: agentId, email: agentEmail, organizationName: 'Acme' });
    expect(new Date(session.expiresAt).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(await auth.verifyAccessToken(session.accessToken)).toMatchObject({ userId: agentId, email: agentEmail, sessionId: expect.any(String) });
    expect(gotrue.requests.find((r) => r.grantType === 'password')?.apikey).toBe(API_KEY);
  });

  it('refuses a wrong password or an unknown email with the same error', async () => {
    expect(code(await auth.login(agentEmail, 'wrong password!').catch((e: unknown) => e))).toBe('invalid-credentials');
    expect(code(await auth.login('nobody@acme.test', PASSWORD).catch((e: unknown) => e))).toBe('invalid-credentials');
  });

  it('refuses a Supabase user who is not an agent of any organization', async () => {
    const email = `stranger-${randomBytes(4).toString('hex')}@acme.test`;
    await authUser(gotrue, email, null);
    expect(code(await auth.login(email, PASSWORD).catch((e: unknown) => e))).toBe('not-an-agent');
  });

  it('rotates the refresh token: the new one works, the old one does not', async () => {
    const first = await auth.login(agentEmail, PASSWORD);
    const second = await auth.refresh(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.agent.id).toBe(agentId);
    expect(code(await auth.refresh(first.refreshToken).catch((e: unknown) => e))).toBe('invalid-refresh-token');
    expect(code(await auth.refresh('not-a-token').catch((e: unknown) => e))).toBe('invalid-refresh-token');
  });

  it('keeps two agents refreshing at the same time apart', async () => {
    const otherEmail = `bob-${randomBytes(4).toString('hex')}@acme.test`;
    const otherId = await authUser(gotrue, otherEmail, 'Acme');
    const [a, b] = await Promise.all([auth.login(agentEmail, PASSWORD), auth.login(otherEmail, PASSWORD)]);
    const [ra, rb] = await Promise.all([auth.refresh(a.refreshToken), auth.refresh(b.refreshToken)]);
    expect([ra.agent.id, rb.agent.id]).toEqual([agentId, otherId]);
  });

  it('ends the session on logout, and says whose it was (the route shows that agent Offline at once)', async () => {
    const session = await auth.login(agentEmail, PASSWORD);
    expect(await auth.logout(session.refreshToken)).toEqual({ userId: session.agent.id });
    // A token that signs nobody in any more ends nothing.
    expect(await auth.logout(session.refreshToken)).toBeNull();
    expect(code(await auth.refresh(session.refreshToken).catch((e: unknown) => e))).toBe('invalid-refresh-token');
    // Supabase would accept the signed-out session's access token until it expires; this backend does not.
    expect(code(await auth.verifyAccessToken(session.accessToken).catch((e: unknown) => e))).toBe('session-ended');
  });

  it('rejects tokens that are expired, for another project or audience, not an authenticated user, or without a subject', async () => {
    const base = { sub: agentId, email: agentEmail, session_id: 'x' };
    const bad = [
      await gotrue.signAccessToken(base, { expiresIn: -10 }),
      await gotrue.signAccessToken({ ...base, iss: 'https://other.supabase.co/auth/v1' }),
      await gotrue.signAccessToken({ ...base, aud: 'something-else' }),
      await gotrue.signAccessToken({ ...base, role: 'anon' }),
      await gotrue.signAccessToken({ email: agentEmail }),
      'not.a.jwt',
    ];
    for (const token of bad) expect(code(await auth.verifyAccessToken(token).catch((e: unknown) => e))).toBe('invalid-token');
    expect(await auth.verifyAccessToken(await gotrue.signAccessToken(base))).toMatchObject({ userId: agentId, email: agentEmail, sessionId: 'x' });
  });

  it('rejects a token signed with a key that is not the project’s', async () => {
    const forged = await new SignJWT({ sub: agentId, role: 'authenticated', iss: `${gotrue.url}/auth/v1`, aud: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(randomBytes(32).toString('hex')));
    expect(code(await auth.verifyAccessToken(forged).catch((e: unknown) => e))).toBe('invalid-token');
  });
});

describe('Supabase auth when Supabase cannot be reached', () => {
  it('answers sign-in with a 503 sentence, not a credentials error', async () => {
    const auth = createSupabaseAuth({ url: `http://127.0.0.1:${await closedPort()}`, apiKey: API_KEY, store, now: () => new Date() });
    const error = await auth.login('a@b.test', PASSWORD).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'auth-unavailable', message: expect.stringMatching(/^Sign-in is unavailable right now/) });
  });

  it('says an access token cannot be checked while the key set is unreachable, rather than calling it invalid', async () => {
    const auth = createSupabaseAuth({ url: `http://127.0.0.1:${await closedPort()}`, apiKey: API_KEY, store, now: () => new Date() });
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT({ sub: 'someone', role: 'authenticated' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setExpirationTime('1h').sign(privateKey);
    const error = await auth.verifyAccessToken(token).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'auth-unavailable' });
  });
});
