// Who may call what: a valid agent token on every authenticated route, organizations isolated on the live event stream, CORS for configured origins only.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../shared/api.js';
import { createApp } from '../app.js';
import { createEmbeddedAuth, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../auth/embedded-auth.js';
import { silentLogger } from '../logger.js';
import { simRoutes } from '../sim/sim-routes.js';
import { createTwilioSimulator } from '../sim/twilio-simulator.js';
import { openSse } from '../../test/support/backend/sse-client.js';
import { createTestBackend, PUBLIC_BASE_URL, type TestBackend } from '../../test/support/backend/test-backend.js';

const EXTENSION_ORIGIN = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const JWT_SECRET = 'a-test-only-secret-that-is-long-enough-for-hs256-0123456789';
const key = new TextEncoder().encode(JWT_SECRET);

let t: TestBackend;
let app: ReturnType<typeof createApp>;
let server: ServerType;
let base: string;
let alice: string;

beforeAll(async () => {
  t = await createTestBackend({ ALLOWED_ORIGINS: EXTENSION_ORIGIN });
  // The same app with an auth adapter whose key the test knows, so it can sign tokens that differ in one claim only.
  const auth = createEmbeddedAuth({ db: t.db, store: t.deps.store, jwtSecret: JWT_SECRET, now: t.clock.now });
  const deps = { ...t.deps, auth };
  app = createApp(deps);
  const sim = createTwilioSimulator({ publicBaseUrl: PUBLIC_BASE_URL, creds: t.deps.creds, logger: silentLogger, fetch: () => Promise.reject(new Error('offline')) });
  app.route('/api/sim', simRoutes(deps, sim));
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: (req) => app.fetch(req), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  alice = await token(t.agents.alice.id);
});
afterAll(async () => {
  (server as unknown as { closeAllConnections(): void }).closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await t.close();
});

/** An access token as the embedded adapter signs it, with claims overridden. */
function token(sub: string, claims: Record<string, unknown> = {}, signingKey: Uint8Array = key) {
  const iat = Math.floor(t.clock.now().getTime() / 1000);
  // Embedded tokens carry their session's id (checked against signed-out sessions).
  return new SignJWT({ role: 'authenticated', email: 'x@example.test', session_id: randomUUID(), ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setAudience((claims.aud as string | undefined) ?? TOKEN_AUDIENCE)
    .setIssuer((claims.iss as string | undefined) ?? TOKEN_ISSUER)
    .setIssuedAt((claims.iat as number | undefined) ?? iat)
    .setExpirationTime((claims.exp as number | undefined) ?? iat + 900)
    .sign(signingKey);
}

const ROUTES: Array<[string, string, string?]> = [
  ['GET', '/api/calls'],
  ['GET', '/api/agents'],
  ['GET', '/api/events'],
  ['POST', '/api/twilio/token'],
  ['POST', '/api/sim/calls', '{"To":"+14155550100"}'],
  ['POST', '/api/sim/calls/CA00000000000000000000000000000000/hangup'],
  ['POST', '/api/sim/calls/CA00000000000000000000000000000000/digits', '{"digits":"1"}'],
  ['POST', '/api/sim/calls/CA00000000000000000000000000000000/mute', '{"muted":true}'],
  ['GET', '/api/sim/events'],
];

async function request(method: string, path: string, body: string | undefined, bearer: string | null) {
  const headers: Record<string, string> = body ? { 'content-type': 'application/json' } : {};
  if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
  const res = await app.request(path, { method, headers, body });
  const text = await res.text();
  return { status: res.status, code: (JSON.parse(text) as { error: { code: string } }).error.code };
}

describe('bearer tokens on every authenticated route', () => {
  const now = () => Math.floor(t.clock.now().getTime() / 1000);
  const bad: Array<[string, () => Promise<string | null>, number, string]> = [
    ['no token', async () => null, 401, 'unauthorized'],
    ['a token with alg none', async () => `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${alice.split('.')[1]}.`, 401, 'invalid-token'],
    ['a token signed with another key', () => token(t.agents.alice.id, {}, new TextEncoder().encode('x'.repeat(64))), 401, 'invalid-token'],
    ['an expired token', () => token(t.agents.alice.id, { iat: now() - 1000, exp: now() - 60 }), 401, 'invalid-token'],
    ['a token for another audience', () => token(t.agents.alice.id, { aud: 'service_role' }), 401, 'invalid-token'],
    ['a token from another issuer', () => token(t.agents.alice.id, { iss: 'https://evil.example.test' }), 401, 'invalid-token'],
    ['a valid token of a user who is not an agent', () => token('00000000-0000-4000-8000-000000000000'), 403, 'not-an-agent'],
  ];

  it.each(ROUTES)('%s %s refuses every kind of bad token, and accepts a good one', async (method, path, body) => {
    for (const [what, make, status, code] of bad) {
      expect({ what, ...(await request(method, path, body, await make())) }).toEqual({ what, status, code });
    }
    if (path.endsWith('/events')) return; // A stream: accepted tokens are covered below.
    const ok = await app.request(path, { method, headers: { authorization: `Bearer ${alice}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body });
    expect([401, 403]).not.toContain(ok.status);
  });
});

describe('live events', () => {
  it("never shows one organization's calls or presence to another", async () => {
    const eve = await token(t.agents.eve.id);
    const acme = await openSse<LiveEvent>(`${base}/api/events`, alice);
    const globex = await openSse<LiveEvent>(`${base}/api/events`, eve);
    try {
      const bob = await t.placeCall(t.agents.bob, '+14155550196', { contactName: 'Acme secret' });
      const eves = await t.placeCall(t.agents.eve, '+14155550197', { contactName: 'Globex secret' });
      // Both apps publish to the same live events, so the webhooks of t.app reach these streams.
      const end = (callId: string, sid: string) => t.twilio(`/api/twilio/outbound-status?callId=${callId}`, { CallSid: sid, DialCallStatus: 'completed' });
      await acme.next((e) => e.type === 'call' && e.call.id === bob.callId);
      await acme.next((e) => e.type === 'presence' && e.agent.id === t.agents.bob.id);
      await globex.next((e) => e.type === 'call' && e.call.id === eves.callId);
      await globex.next((e) => e.type === 'presence' && e.agent.id === t.agents.eve.id);
      await end(bob.callId!, bob.callSid);
      await end(eves.callId!, eves.callSid);
      await acme.next((e) => e.type === 'call' && e.call.id === bob.callId && e.call.status === 'completed');
      await globex.next((e) => e.type === 'call' && e.call.id === eves.callId && e.call.status === 'completed');

      /** Events about an agent outside `org`. */
      const leaked = (events: LiveEvent[], org: string) => {
        const members = new Set(Object.values(t.agents).filter((a) => a.organizationId === org).map((a) => a.id));
        return events.filter((e) => !members.has((e.type === 'call' ? e.call.assignedTo : e.agent.id) ?? ''));
      };
      expect(acme.events.length).toBeGreaterThanOrEqual(3);
      expect(leaked(acme.events, t.agents.alice.organizationId)).toEqual([]);
      expect(leaked(globex.events, t.agents.eve.organizationId)).toEqual([]);
      expect(JSON.stringify(acme.events)).not.toContain('Globex secret');
      expect(JSON.stringify(globex.events)).not.toContain('Acme secret');
    } finally {
      acme.close();
      globex.close();
    }
  });

  it('takes the token from ?access_token= (EventSource cannot send headers) and refuses a bad one there', async () => {
    const bad = await fetch(`${base}/api/events?access_token=${await token(t.agents.alice.id, { aud: 'anon' })}`);
    expect(bad.status).toBe(401);
    await bad.body?.cancel();
    const controller = new AbortController();
    const good = await fetch(`${base}/api/events?access_token=${alice}`, { signal: controller.signal });
    expect(good.status).toBe(200);
    expect(good.headers.get('content-type')).toMatch(/^text\/event-stream/);
    controller.abort();
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    app.request('/api/calls', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });

  it.each([
    ['a configured extension origin', EXTENSION_ORIGIN],
    ['the demo page (the backend’s own public origin)', new URL(PUBLIC_BASE_URL).origin],
  ])('allows %s, with the Authorization header', async (_what, origin) => {
    const pre = await preflight(origin);
    expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    const res = await app.request('/api/calls', { headers: { origin, authorization: `Bearer ${alice}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it.each([
    ['another extension', 'chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba'],
    ['a web site', 'https://evil.example.test'],
    ['a look-alike of the public origin', `${new URL(PUBLIC_BASE_URL).origin}.evil.test`],
    ['the public origin over http', new URL(PUBLIC_BASE_URL).origin.replace('https:', 'http:')],
    ['the null origin', 'null'],
  ])('gives %s no CORS access', async (_what, origin) => {
    const pre = await preflight(origin);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const res = await app.request('/api/calls', { headers: { origin, authorization: `Bearer ${alice}` } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it.each(['/api/twilio/outbound', '/api/twilio/outbound-events', '/api/twilio/outbound-status'])(
    "gives Twilio's webhook %s no CORS access, even from a configured origin",
    async (path) => {
      const pre = await app.request(path, { method: 'OPTIONS', headers: { origin: EXTENSION_ORIGIN, 'access-control-request-method': 'POST' } });
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      const res = await app.request(path, { method: 'POST', headers: { origin: EXTENSION_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: 'CallSid=x' });
      expect(res.status).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    },
  );

  it('still allows a configured origin on the token route beside the webhooks', async () => {
    const pre = await app.request('/api/twilio/token', { method: 'OPTIONS', headers: { origin: EXTENSION_ORIGIN, 'access-control-request-method': 'POST' } });
    expect(pre.headers.get('access-control-allow-origin')).toBe(EXTENSION_ORIGIN);
  });
});
