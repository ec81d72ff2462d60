// Whole simulated calls over real HTTP: the simulator posts signed requests to the real webhook routes of a running server.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentPresence, Call, LiveEvent, SimDeviceEvent } from '../../shared/api.js';
import { loadConfig } from '../config.js';
import { silentLogger } from '../logger.js';
import { startBackend, type RunningBackend } from '../server.js';
import { openSse, type SseClient } from '../../test/support/backend/sse-client.js';
import { postSignedForm } from './callback-poster.js';
import type { TwilioSimulator } from './twilio-simulator.js';

// 1/50 of real time: ringing after 10 ms, answer after 40 ms.
const TIME_SCALE = 0.02;

let backend: RunningBackend;
let dataDir: string;
let token: string;
let device: SseClient<SimDeviceEvent>;
let live: SseClient<LiveEvent>;
let sim: TwilioSimulator | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'c2c-sim-'));
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, DEMO_PASSWORD: 'demo-password-1', LOG_LEVEL: 'silent' });
  backend = await startBackend(config, { logger: silentLogger, telephony: { timeScale: TIME_SCALE } });
  sim = backend.telephony.simulator!;
  token = await login();
  device = await openSse<SimDeviceEvent>(`${backend.url}/api/sim/events`, token);
  live = await openSse<LiveEvent>(`${backend.url}/api/events`, token);
});
afterAll(async () => {
  device?.close();
  live?.close();
  await backend?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function login() {
  const res = await fetch(`${backend.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'demo@example.com', password: 'demo-password-1' }),
  });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function api<T>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${backend.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

async function dial(to: string, contactName = 'Test Contact') {
  const res = await api<{ callSid: string }>('POST', '/api/sim/calls', { To: to, contactName, pageUrl: 'https://crm.example.com/a', pageTitle: 'CRM' });
  expect(res.status).toBe(201);
  return res.body.callSid;
}

const deviceEvent = (callSid: string, type: SimDeviceEvent['type']) => device.next((e) => e.callSid === callSid && e.type === type);

async function recordedCall(callSid: string): Promise<Call> {
  const { rows } = await backend.db.query<{ id: string }>('select id from calls where twilio_call_sid = $1', [callSid]);
  const call = await backend.deps.store.getCall(rows[0]!.id);
  return call!;
}

async function ledger(callSid: string) {
  const { rows } = await backend.db.query<{ source: string; status: string; sequence_number: number | null }>(
    `select e.source, e.status, e.sequence_number from call_events e join calls c on c.id = e.call_id
     where c.twilio_call_sid = $1 order by e.id`,
    [callSid],
  );
  return rows.map((r) => `${r.source}:${r.status}`);
}

async function presence(): Promise<AgentPresence> {
  return (await api<{ agents: AgentPresence[] }>('GET', '/api/agents')).body.agents[0]!;
}

describe('a simulated call', () => {
  it('rings, is answered, shows the agent on call, and ends completed when the agent hangs up', async () => {
    const callSid = await dial('+14155550100', 'Grace Hall');
    await deviceEvent(callSid, 'ringing');
    const ringing = await recordedCall(callSid);
    expect(['ringing', 'in-progress']).toContain(ringing.status);
    expect(ringing).toMatchObject({ toNumber: '+14155550100', contactName: 'Grace Hall', pageTitle: 'CRM' });
    expect(await presence()).toMatchObject({ status: 'on-call', currentCallId: ringing.id });

    await deviceEvent(callSid, 'accept');
    expect(await recordedCall(callSid)).toMatchObject({ status: 'in-progress', answeredAt: expect.any(String) });

    await new Promise((r) => setTimeout(r, 100)); // 5 simulated seconds on the line
    const hangup = await api<{ status: string }>('POST', `/api/sim/calls/${callSid}/hangup`);
    expect(hangup.body.status).toBe('completed');
    expect(await deviceEvent(callSid, 'disconnect')).toMatchObject({ status: 'completed' });
    const done = await recordedCall(callSid);
    expect(done.status).toBe('completed');
    expect(done.duration).toBeGreaterThanOrEqual(4);
    expect(await ledger(callSid)).toEqual([
      'call-progress-events:initiated',
      'call-progress-events:ringing',
      'call-progress-events:in-progress',
      'call-progress-events:completed',
      'dial-action:completed',
    ]);
    expect(await presence()).toMatchObject({ status: 'available', currentCallId: null });
    await live.next((e) => e.type === 'call' && e.call.id === done.id && e.call.status === 'completed');
    await live.next((e) => e.type === 'presence' && e.agent.status === 'available');
  });

  it.each([
    ['+14155550000', 'busy', ['initiated', 'ringing', 'busy']],
    ['+14155550001', 'no-answer', ['initiated', 'ringing', 'no-answer']],
    ['+14155550002', 'failed', ['initiated', 'failed']],
    ['+14155550003', 'completed', ['initiated', 'ringing', 'in-progress', 'completed']],
  ])('to %s ends %s by itself, as scripted', async (to, status, progress) => {
    const callSid = await dial(to);
    expect(await deviceEvent(callSid, 'disconnect')).toMatchObject({ status });
    const call = await recordedCall(callSid);
    expect(call.status).toBe(status);
    expect(call.endedAt).not.toBeNull();
    expect(await ledger(callSid)).toEqual([...progress.map((s) => `call-progress-events:${s}`), `dial-action:${status}`]);
    expect(call.duration).toBe(status === 'completed' ? 5 : 0);
    expect(await presence()).toMatchObject({ status: 'available' });
  });

  it('ends canceled when the agent hangs up while it rings', async () => {
    const callSid = await dial('+14155550001');
    await deviceEvent(callSid, 'ringing');
    await api('POST', `/api/sim/calls/${callSid}/hangup`);
    expect(await deviceEvent(callSid, 'disconnect')).toMatchObject({ status: 'canceled' });
    expect(await recordedCall(callSid)).toMatchObject({ status: 'canceled', answeredAt: null, duration: 0 });
    expect(await presence()).toMatchObject({ status: 'available' });
  });

  it('surfaces a refusal as an error with the spoken reason and records a failed call', async () => {
    const callSid = await dial('+1 900 555 0199');
    const error = await deviceEvent(callSid, 'error');
    expect(error).toMatchObject({ message: expect.stringMatching(/premium-rate number/) });
    expect(await deviceEvent(callSid, 'disconnect')).toMatchObject({ status: 'failed' });
    expect(await recordedCall(callSid)).toMatchObject({ status: 'failed', errorMessage: expect.stringMatching(/premium-rate/) });
  });

  it('refuses a second call while one is up, in words', async () => {
    const first = await dial('+14155550101');
    const second = await api<{ error: { message: string } }>('POST', '/api/sim/calls', { To: '+14155550102' });
    expect(second.status).toBe(409);
    expect(second.body.error.message).toBe('You are already on a call. Hang up first.');
    await api('POST', `/api/sim/calls/${first}/hangup`);
  });

  it('takes digits and mute for the live call and refuses them for unknown calls', async () => {
    const callSid = await dial('+14155550104');
    await deviceEvent(callSid, 'accept');
    expect((await api('POST', `/api/sim/calls/${callSid}/digits`, { digits: '204#' })).status).toBe(204);
    expect((await api('POST', `/api/sim/calls/${callSid}/mute`, { muted: true })).status).toBe(204);
    expect((await api('POST', `/api/sim/calls/${callSid}/digits`, { digits: 'abc' })).status).toBe(400);
    expect((await api('POST', '/api/sim/calls/CAnope/hangup')).status).toBe(404);
    await api('POST', `/api/sim/calls/${callSid}/hangup`);
  });

  it("sends the dial's extension to the far end after answer, from the TwiML's <Number sendDigits>", async () => {
    const res = await api<{ callSid: string }>('POST', '/api/sim/calls', { To: '+14155550105', extension: 'w204#' });
    expect(res.status).toBe(201);
    const { callSid } = res.body;
    await deviceEvent(callSid, 'accept');
    const agentId = (await backend.db.query<{ id: string }>(`select id from voip_users where email = 'demo@example.com'`)).rows[0]!.id;
    expect(sim!.get(agentId, callSid).digits).toBe('w204#');
    expect(await recordedCall(callSid)).toMatchObject({ extension: 'w204#' });
    await api('POST', `/api/sim/calls/${callSid}/hangup`);
  });

  it("is refused by the real route when the simulator's request is tampered with", async () => {
    const before = (await backend.db.query<{ n: number }>('select count(*)::int as n from calls')).rows[0]!.n;
    const res = await postSignedForm(`${backend.url}/api/twilio/outbound`, { CallSid: 'CA' + 'f'.repeat(32), To: '+14155550100', From: 'client:agent_x' }, '0'.repeat(32));
    expect(res.status).toBe(403);
    expect((await backend.db.query<{ n: number }>('select count(*)::int as n from calls')).rows[0]!.n).toBe(before);
  });

  it('requires an agent token', async () => {
    const res = await fetch(`${backend.url}/api/sim/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"To":"+14155550100"}' });
    expect(res.status).toBe(401);
  });
});
