// Managing webhook endpoints: admins only, within their organization; the secret shown once and rotatable; targets
// that are not public https refused in production.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackend, type TestBackend } from '../../test/support/backend/test-backend.js';

let t: TestBackend;
beforeAll(async () => {
  // Real Twilio settings make it production: only public https endpoints.
  t = await createTestBackend({
    TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`, TWILIO_AUTH_TOKEN: '2'.repeat(32), TWILIO_API_KEY: `SK${'3'.repeat(32)}`,
    TWILIO_API_SECRET: 'x'.repeat(32), TWILIO_TWIML_APP_SID: `AP${'4'.repeat(32)}`, TWILIO_PHONE_NUMBER: '+14155550100',
  });
  await t.db.query(`update public.voip_users set role = 'admin' where id = any($1)`, [[t.agents.alice.id, t.agents.eve.id]]);
});
afterAll(() => t.close());

const call = async (who: string | null, method: string, path: string, body?: unknown) => {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (who) headers.authorization = `Bearer ${await t.login(who)}`;
  return t.app.request(`/api/admin/webhooks${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
};

describe('webhook endpoints', () => {
  it('are managed by admins only', async () => {
    expect((await call(null, 'GET', '')).status).toBe(401);
    const bob = await call('bob@acme.test', 'POST', '', { url: 'https://hooks.example.com/a' });
    expect(bob.status).toBe(403);
    expect((await call('bob@acme.test', 'GET', '')).status).toBe(403);
  });

  it('show the signing secret once, at creation and at each rotation, never in the list', async () => {
    const res = await call('alice@acme.test', 'POST', '', { url: 'https://hooks.example.com/acme', events: ['call.completed', 'call.wrapped_up'], description: 'HubSpot workflow' });
    expect(res.status).toBe(201);
    const { endpoint, secret } = (await res.json()) as { endpoint: { id: string; events: string[]; enabled: boolean }; secret: string };
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint).toMatchObject({ events: ['call.completed', 'call.wrapped_up'], enabled: true });
    const list = await (await call('alice@acme.test', 'GET', '')).text();
    expect(list).toContain(endpoint.id);
    expect(list).not.toContain(secret);
    expect(list).not.toContain('whsec_');

    const rotated = (await (await call('alice@acme.test', 'POST', `/${endpoint.id}/rotate`)).json()) as { secret: string };
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(secret);
    const { rows } = await t.db.query<{ secret: string }>('select secret from public.webhook_endpoints where id = $1', [endpoint.id]);
    expect(rows[0]!.secret).toBe(rotated.secret);
  });

  it('stay within the organization: another organization\'s admin can neither see nor change them', async () => {
    const { endpoints } = (await (await call('alice@acme.test', 'GET', '')).json()) as { endpoints: Array<{ id: string }> };
    const id = endpoints[0]!.id;
    expect(((await (await call('eve@globex.test', 'GET', '')).json()) as { endpoints: unknown[] }).endpoints).toEqual([]);
    for (const [method, path] of [['DELETE', `/${id}`], ['POST', `/${id}/rotate`], ['POST', `/${id}/ping`]] as const) {
      expect((await call('eve@globex.test', method, path)).status).toBe(404);
    }
    expect((await call('eve@globex.test', 'POST', `/${id}/enabled`, { enabled: false })).status).toBe(404);
    expect(((await (await call('alice@acme.test', 'GET', '')).json()) as { endpoints: unknown[] }).endpoints).toHaveLength(1);
  });

  it('refuse in production what is not a public https endpoint', async () => {
    for (const url of ['http://hooks.example.com/a', 'https://10.0.0.5/hook', 'https://169.254.169.254/latest/meta-data', 'https://[::1]/x', 'https://localhost/x', 'https://192.168.0.10/']) {
      const res = await call('alice@acme.test', 'POST', '', { url });
      expect(res.status, url).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('webhook-url-refused');
    }
    const events = await call('alice@acme.test', 'POST', '', { url: 'https://hooks.example.com/b', events: ['call.deleted'] });
    expect(events.status).toBe(400);
    expect(((await events.json()) as { error: { message: string } }).error.message).toMatch(/^Events must be among call\.started/);
  });

  it('can be pinged, disabled, enabled and removed, with the deliveries listed', async () => {
    const { endpoints } = (await (await call('alice@acme.test', 'GET', '')).json()) as { endpoints: Array<{ id: string }> };
    const id = endpoints[0]!.id;
    const ping = await call('alice@acme.test', 'POST', `/${id}/ping`);
    expect(ping.status).toBe(202);
    const { deliveries } = (await (await call('alice@acme.test', 'GET', `/deliveries?endpointId=${id}`)).json()) as { deliveries: Array<{ type: string; state: string }> };
    expect(deliveries).toMatchObject([{ type: 'ping', state: 'pending' }]);
    expect(((await (await call('alice@acme.test', 'POST', `/${id}/enabled`, { enabled: false })).json()) as { endpoint: { enabled: boolean; disabledReason: string } }).endpoint).toMatchObject({ enabled: false, disabledReason: 'An admin disabled it.' });
    expect((await call('alice@acme.test', 'DELETE', `/${id}`)).status).toBe(200);
    expect((await call('alice@acme.test', 'DELETE', `/${id}`)).status).toBe(404);
  });
});
