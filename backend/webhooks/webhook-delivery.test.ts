// Outgoing webhooks end to end over real HTTP: calls through the simulated Twilio (and Twilio's callbacks sent out of
// order and twice) reach a local receiver that verifies every delivery with the standardwebhooks library.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ADMIN_CLI_ORGANIZATION_HEADER, ADMIN_CLI_TOKEN_HEADER } from '../admin/admin-cli-token.js';
import { loadConfig } from '../config.js';
import { silentLogger } from '../logger.js';
import { loadOrCreateSecrets, type LocalSecrets } from '../secrets.js';
import { startBackend, type RunningBackend } from '../server.js';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../../test/support/backend/webhook-receiver.js';
import { identityForAgent } from '../twilio/agent-identity.js';
import { twilioSignature } from '../twilio/request-signature.js';
import { webhookPayloadSchema } from './webhook-payload.js';

const PASSWORD = 'webhook-tests-1';
const dirs: string[] = [];
const open: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 60_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface World {
  backend: RunningBackend;
  receiver: WebhookReceiver;
  secrets: LocalSecrets;
  token: string;
  agentId: string;
  admin(method: string, pathname: string, body?: unknown): Promise<Response>;
}

async function world(env: Record<string, string> = {}): Promise<World> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'c2c-webhooks-'));
  dirs.push(dataDir);
  const secrets = await loadOrCreateSecrets(dataDir);
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_PASSWORD: PASSWORD, RATE_LIMIT_CALLS: '1000', WEBHOOK_POLL_MS: '50', WEBHOOK_RETRY_BASE_SECONDS: '0.2', ...env });
  const backend = await startBackend(config, { logger: silentLogger, telephony: { timeScale: 0.05 } });
  open.push(() => backend.close());
  const receiver = await startWebhookReceiver();
  open.push(() => receiver.close());
  const login = await fetch(`${backend.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'demo@example.com', password: PASSWORD }) });
  const session = (await login.json()) as { accessToken: string; agent: { id: string } };
  const admin = (method: string, pathname: string, body?: unknown) =>
    fetch(`${backend.url}/api/admin/webhooks${pathname}`, {
      method,
      headers: { [ADMIN_CLI_TOKEN_HEADER]: backend.deps.adminCliToken!, [ADMIN_CLI_ORGANIZATION_HEADER]: 'Demo', ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  return { backend, receiver, secrets, token: session.accessToken, agentId: session.agent.id, admin };
}

async function addEndpoint(w: World, url = w.receiver.url, events?: string[]) {
  const res = await w.admin('POST', '', { url, ...(events ? { events } : {}) });
  expect(res.status).toBe(201);
  const { endpoint, secret } = (await res.json()) as { endpoint: { id: string }; secret: string };
  expect(secret).toMatch(/^whsec_/);
  w.receiver.setSecret(secret);
  return endpoint.id;
}

/** A simulated call to `to`, waited for until it has ended; returns its id. */
async function simulatedCall(w: World, to: string): Promise<string> {
  const dial = () =>
    fetch(`${w.backend.url}/api/sim/calls`, {
      method: 'POST', headers: { authorization: `Bearer ${w.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ To: to, contactName: 'Webhook lead', pageUrl: 'https://crm.example.com/leads/7', pageTitle: 'Lead 7' }),
    });
  // The simulated device lets go of the previous call a moment after its row has ended.
  let res = await dial();
  for (let i = 0; res.status === 409 && i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    res = await dial();
  }
  expect(res.status).toBe(201);
  const { callSid } = (await res.json()) as { callSid: string };
  const rows = await waitFor(`the call to ${to} to end`, async () => {
    const { rows } = await w.backend.db.query<{ id: string; ended_at: Date | null }>('select id, ended_at from public.calls where twilio_call_sid = $1', [callSid]);
    return rows[0]?.ended_at ? rows : null;
  });
  return rows[0]!.id;
}

const wrapUp = (w: World, callId: string, notes: string) =>
  w.backend.db.query(
    `insert into public.call_wrapups (call_id, organization_id, outcome_label, notes, written_by)
     select id, organization_id, 'Connected', $2, assigned_to from public.calls where id = $1
     on conflict (call_id) do update set notes = excluded.notes, updated_at = now()`,
    [callId, notes],
  );

const typesOf = (hooks: ReceivedWebhook[], callId: string) => hooks.filter((h) => h.callId === callId).map((h) => h.type);

describe('webhooks under normal conditions', () => {
  it('delivers every event of every call once, in order per call, signed so that the receiver verifies it', async () => {
    const w = await world();
    await addEndpoint(w);
    const answered = await simulatedCall(w, '+14155550003'); // answers, the far end hangs up
    const busy = await simulatedCall(w, '+14155550000');
    const noAnswer = await simulatedCall(w, '+14155550001');
    await wrapUp(w, answered, 'Wants a quote by Friday.');
    await wrapUp(w, answered, 'Wants a quote by Friday. Sent it.');

    await waitFor('every webhook', () => w.receiver.accepted().length >= 9);
    await new Promise((r) => setTimeout(r, 500)); // nothing more arrives
    const got = w.receiver.received;
    expect(got.every((h) => h.verified)).toBe(true);
    expect(typesOf(got, answered)).toEqual(['call.started', 'call.answered', 'call.completed', 'call.wrapped_up', 'call.wrapped_up']);
    expect(typesOf(got, busy)).toEqual(['call.started', 'call.completed']);
    expect(typesOf(got, noAnswer)).toEqual(['call.started', 'call.completed']);
    expect(new Set(got.map((h) => h.id)).size).toBe(got.length);

    // The payloads are what the documented schema says, with the call and its wrap-up.
    const payloads = got.map((h) => webhookPayloadSchema.parse(JSON.parse(h.body)));
    const completed = payloads.find((p) => p.type === 'call.completed' && 'call' in p.data && p.data.call.id === answered)!;
    expect(completed.data).toMatchObject({
      call: { status: 'completed', to: '+14155550003', contactName: 'Webhook lead', pageUrl: 'https://crm.example.com/leads/7', pageTitle: 'Lead 7', agent: { name: 'Demo Agent', email: 'demo@example.com' }, direction: 'outbound' },
      wrapUp: null,
    });
    const [, last] = payloads.filter((p) => p.type === 'call.wrapped_up');
    expect(last!.data).toMatchObject({ wrapUp: { outcome: 'Connected', notes: 'Wants a quote by Friday. Sent it.', writtenBy: { email: 'demo@example.com' } } });
    expect(typesOf(got, busy).length + typesOf(got, noAnswer).length).toBe(4);

    // Every attempt is recorded and the admin API lists the deliveries.
    const list = (await (await w.admin('GET', '/deliveries')).json()) as { deliveries: Array<{ state: string; attempts: number; lastAttempt: { ok: boolean; statusCode: number } }> };
    expect(list.deliveries).toHaveLength(9);
    expect(list.deliveries.every((d) => d.state === 'delivered' && d.attempts === 1 && d.lastAttempt.ok && d.lastAttempt.statusCode === 200)).toBe(true);
  }, 150_000);

  it('sends each call event at most once, in order, when Twilio\'s callbacks arrive out of order and twice', async () => {
    const w = await world();
    await addEndpoint(w);
    const base = w.backend.url;
    const post = async (pathAndQuery: string, form: Record<string, string>) => {
      const res = await fetch(`${base}${pathAndQuery}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(w.secrets.simAuthToken, `${base}${pathAndQuery}`, form) },
        body: new URLSearchParams(form).toString(),
      });
      expect(res.status).toBeLessThan(300);
      return res.text();
    };
    const callIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const callSid = `CA${randomBytes(16).toString('hex')}`;
      const child = `CA${randomBytes(16).toString('hex')}`;
      const twiml = await post('/api/twilio/outbound', { AccountSid: w.secrets.simAccountSid, CallSid: callSid, From: `client:${identityForAgent(w.agentId)}`, To: `+1415555016${i}` });
      const callId = /callId=([0-9a-f-]{36})/.exec(twiml)![1]!;
      callIds.push(callId);
      const events = ['ringing', 'in-progress', 'completed'].map((status, seq) => ({
        path: `/api/twilio/outbound-events?callId=${callId}`,
        form: { AccountSid: w.secrets.simAccountSid, CallSid: child, CallStatus: status, SequenceNumber: String(seq + 1), Timestamp: `Tue, 24 Nov 2026 12:00:0${seq} +0000`, ...(status === 'completed' ? { CallDuration: '12' } : {}) },
      }));
      const dial = { path: `/api/twilio/outbound-status?callId=${callId}`, form: { AccountSid: w.secrets.simAccountSid, CallSid: callSid, DialCallSid: child, DialCallStatus: 'completed', DialCallDuration: '12' } };
      // Each callback twice; the first call in order, the others shuffled (the end may come before the answer).
      const all = [...events, dial, ...events, dial];
      const order = i === 0 ? all : all.map((x) => ({ x, k: Math.random() })).sort((a, b) => a.k - b.k).map((o) => o.x);
      await Promise.all(order.map((h) => post(h.path, h.form)));
    }
    await waitFor('the completions', () => callIds.every((id) => typesOf(w.receiver.accepted(), id).includes('call.completed')));
    await new Promise((r) => setTimeout(r, 500));
    for (const id of callIds) {
      const types = typesOf(w.receiver.received, id);
      expect(new Set(types).size).toBe(types.length);
      expect(types[0]).toBe('call.started');
      expect(types.at(-1)).toBe('call.completed');
      expect(['call.started,call.completed', 'call.started,call.answered,call.completed']).toContain(types.join());
    }
    expect(typesOf(w.receiver.received, callIds[0]!)).toEqual(['call.started', 'call.answered', 'call.completed']);
  }, 150_000);
});

describe('webhooks when the receiver fails', () => {
  it('delivers everything once the receiver is back after answering 503 and refusing connections for a while', async () => {
    const w = await world();
    await addEndpoint(w);
    w.receiver.setDown(true);
    const calls = [await simulatedCall(w, '+14155550003'), await simulatedCall(w, '+14155550000')];
    await waitFor('failed attempts', () => w.receiver.received.length >= 6);
    await w.receiver.unlisten(); // connections refused
    const third = await simulatedCall(w, '+14155550001');
    await new Promise((r) => setTimeout(r, 800));
    w.receiver.setDown(false);
    await w.receiver.listen();
    await waitFor('every webhook after the outage', () => w.receiver.accepted().length >= 7);
    await new Promise((r) => setTimeout(r, 500));

    const accepted = w.receiver.accepted();
    // At least once, and here exactly once: an event is acknowledged once, then never sent again.
    expect(new Set(accepted.map((h) => h.id)).size).toBe(accepted.length);
    expect(typesOf(accepted, calls[0]!)).toEqual(['call.started', 'call.answered', 'call.completed']);
    expect(typesOf(accepted, calls[1]!)).toEqual(['call.started', 'call.completed']);
    expect(typesOf(accepted, third)).toEqual(['call.started', 'call.completed']);
    // Retries kept the same webhook-id, so a receiver that saw a failed attempt can tell the retry is the same event.
    const refused = w.receiver.received.filter((h) => !accepted.includes(h));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((h) => accepted.some((a) => a.id === h.id))).toBe(true);
    const list = (await (await w.admin('GET', '/deliveries')).json()) as { deliveries: Array<{ state: string; attempts: number }> };
    expect(list.deliveries.every((d) => d.state === 'delivered')).toBe(true);
    expect(list.deliveries.some((d) => d.attempts > 1)).toBe(true);
    const { rows } = await w.backend.db.query<{ n: number }>('select count(*)::int as n from public.webhook_attempts where not ok');
    expect(rows[0]!.n).toBeGreaterThanOrEqual(refused.length);
  }, 150_000);

  it('disables an endpoint after a long run of failures and tells admins why; enabling it again delivers what was pending', async () => {
    const w = await world({ WEBHOOK_DISABLE_AFTER_FAILURES: '4', WEBHOOK_DISABLE_AFTER_HOURS: '0' });
    const id = await addEndpoint(w);
    w.receiver.setDown(true);
    await simulatedCall(w, '+14155550000');
    const endpoint = await waitFor('the endpoint to be disabled', async () => {
      const { endpoints } = (await (await w.admin('GET', '')).json()) as { endpoints: Array<{ id: string; enabled: boolean; disabledReason: string | null }> };
      return endpoints.find((e) => e.id === id && !e.enabled);
    });
    expect(endpoint.disabledReason).toMatch(/^Disabled after 4 failed deliveries in a row since .* \(last: The endpoint answered 503: Down for maintenance\)\. Fix the endpoint, then enable it again/);
    const tried = w.receiver.received.length;
    await new Promise((r) => setTimeout(r, 700));
    expect(w.receiver.received.length).toBe(tried);

    w.receiver.setDown(false);
    expect((await w.admin('POST', `/${id}/enabled`, { enabled: true })).status).toBe(200);
    await waitFor('the pending deliveries', () => w.receiver.accepted().length >= 2);
    expect(w.receiver.accepted().map((h) => h.type)).toEqual(['call.started', 'call.completed']);
  }, 150_000);
});
