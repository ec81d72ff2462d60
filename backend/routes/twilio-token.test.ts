import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackend, type TestBackend } from '../../test/support/backend/test-backend.js';

let t: TestBackend;
beforeAll(async () => {
  t = await createTestBackend();
});
afterAll(() => t.close());

describe('POST /api/twilio/token', () => {
  it('mints a Voice token whose identity the server chose from the agent id', async () => {
    const access = await t.login('alice@acme.test');
    const res = await t.app.request('/api/twilio/token', { method: 'POST', headers: { authorization: `Bearer ${access}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; identity: string; expiresAt: string };
    expect(body.identity).toBe(`agent_${t.agents.alice.id.replace(/-/g, '')}`);
    expect(body.identity).toMatch(/^[A-Za-z0-9_]{1,121}$/);

    const claims = decodeJwt(body.token) as Record<string, unknown> & { grants: { identity: string; voice: { outgoing: { application_sid: string }; incoming?: { allow: boolean } } } };
    expect(decodeProtectedHeader(body.token)).toMatchObject({ alg: 'HS256', cty: 'twilio-fpa;v=1' });
    expect(claims.iss).toBe(t.deps.creds.apiKey);
    expect(claims.sub).toBe(t.deps.creds.accountSid);
    expect(claims.grants.identity).toBe(body.identity);
    expect(claims.grants.voice.outgoing.application_sid).toBe(t.deps.creds.twimlAppSid);
    // Calls to the organization's numbers ring this identity's Device.
    expect(claims.grants.voice.incoming).toEqual({ allow: true });
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
    expect(body.expiresAt).toBe(new Date((claims.exp as number) * 1000).toISOString());
  });

  it('ignores an identity the client asks for', async () => {
    const access = await t.login('bob@acme.test');
    const res = await t.app.request('/api/twilio/token?identity=alice', {
      method: 'POST',
      headers: { authorization: `Bearer ${access}`, 'content-type': 'application/json' },
      body: JSON.stringify({ identity: 'agent_attacker' }),
    });
    expect(((await res.json()) as { identity: string }).identity).toBe(`agent_${t.agents.bob.id.replace(/-/g, '')}`);
  });

  it('requires an agent bearer token', async () => {
    const res = await t.app.request('/api/twilio/token', { method: 'POST' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringMatching(/^Sign in/) } });
  });
});
