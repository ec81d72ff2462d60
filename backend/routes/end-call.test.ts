// Ending, from the server, a call the server has open but the agent's softphone lost: the telephony side hangs it up,
// the ledger says how it ended, and nobody else's call can be ended this way.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call, LiveEvent, SimDeviceEvent } from '../../shared/api.js';
import { addEmbeddedAgent } from '../auth/embedded-auth.js';
import { loadConfig } from '../config.js';
import { silentLogger } from '../logger.js';
import { startBackend, type RunningBackend } from '../server.js';
import type { TwilioSimulator } from '../sim/twilio-simulator.js';
import { openSse, type SseClient } from '../../test/support/backend/sse-client.js';
import { placeCall } from '../../test/support/backend/place-call.js';

const PASSWORD = 'demo-password-1';
let backend: RunningBackend;
let dataDir: string;
let sim: TwilioSimulator | undefined;
let demo: string;
let teammate: string;
let device: SseClient<SimDeviceEvent>;
let live: SseClient<LiveEvent>;

async function login(email: string) {
  const res = await fetch(`${backend.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function api<T>(token: string, method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${backend.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

async function callOf(callSid: string): Promise<Call> {
  const { rows } = await backend.db.query<{ id: string }>('select id from calls where twilio_call_sid = $1', [callSid]);
  return (await backend.deps.store.getCall(rows[0]!.id))!;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'c2c-end-call-'));
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, DEMO_PASSWORD: PASSWORD, LOG_LEVEL: 'silent' });
  backend = await startBackend(config, { logger: silentLogger, telephony: { timeScale: 0.02 } });
  sim = backend.telephony.simulator!;
  await addEmbeddedAgent(backend.db, backend.deps.store, { email: 'teammate@example.com', password: PASSWORD, displayName: 'Teammate', organizationName: 'Demo' });
  demo = await login('demo@example.com');
  teammate = await login('teammate@example.com');
  device = await openSse<SimDeviceEvent>(`${backend.url}/api/sim/events`, demo);
  live = await openSse<LiveEvent>(`${backend.url}/api/events`, teammate);
});
afterAll(async () => {
  device?.close();
  live?.close();
  await backend?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('an agent ending their call from the server', () => {
  it('hangs up an answered call on the telephony side, records it completed, and teammates see the agent available', async () => {
    const { body } = await api<{ callSid: string }>(demo, 'POST', '/api/sim/calls', { To: '+14155550123' });
    await device.next((e) => e.callSid === body.callSid && e.type === 'accept');
    const open = await callOf(body.callSid);
    expect(open.status).toBe('in-progress');

    // The teammate may not end it: it is not theirs.
    expect((await api(teammate, 'POST', `/api/calls/${open.id}/hangup`)).status).toBe(404);
    expect(sim!.status(body.callSid)).toBe('in-progress');

    const ended = await api<{ ended: boolean; call: Call }>(demo, 'POST', `/api/calls/${open.id}/hangup`);
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ ended: true, call: { id: open.id, status: 'completed' } });
    // The telephony side really hung up: the simulated softphone hears the disconnect.
    expect(await device.next((e) => e.callSid === body.callSid && e.type === 'disconnect')).toMatchObject({ status: 'completed' });
    expect(await live.next((e) => e.type === 'presence' && e.agent.email === 'demo@example.com' && e.agent.status === 'available')).toBeTruthy();
    // Ending it again says how it ended, and changes nothing.
    expect((await api<{ call: Call }>(demo, 'POST', `/api/calls/${open.id}/hangup`)).body.call.status).toBe('completed');
  });

  it('closes a call the telephony side no longer knows (the server restarted mid-call): canceled when never answered', async () => {
    const agent = (await backend.deps.store.getAgent((await backend.db.query<{ id: string }>(`select id from voip_users where email = 'demo@example.com'`)).rows[0]!.id))!;
    const sid = `CA${'7'.repeat(32)}`;
    // Stored as the Voice URL stores it, with nothing on the telephony side.
    const placed = await placeCall(backend.deps.store, agent, { twilioCallSid: sid, toNumber: '+14155550124' });
    expect(placed.created).toBe(true);
    const open = await callOf(sid);
    expect(open.status).toBe('initiated');
    const ended = await api<{ ended: boolean; call: Call }>(demo, 'POST', `/api/calls/${open.id}/hangup`);
    expect(ended.body).toMatchObject({ ended: true, call: { status: 'canceled' } });
    const { rows } = await backend.db.query<{ source: string; status: string }>('select source, status from call_events where call_id = $1 order by id', [open.id]);
    expect(rows.at(-1)).toEqual({ source: 'agent-hangup', status: 'canceled' });
  });

  it('says so in a sentence, and leaves the call open, when the phone service does not answer', async () => {
    const { body } = await api<{ callSid: string }>(demo, 'POST', '/api/sim/calls', { To: '+14155550125' });
    await device.next((e) => e.callSid === body.callSid && e.type === 'accept');
    const open = await callOf(body.callSid);
    const working = backend.deps.callControl!;
    backend.deps.callControl = { fetchCallStatus: working.fetchCallStatus, endCall: () => Promise.reject(new Error('connect ETIMEDOUT')) };
    try {
      const res = await api<{ error: { code: string; message: string } }>(demo, 'POST', `/api/calls/${open.id}/hangup`);
      expect(res.status).toBe(502);
      expect(res.body.error.message).toBe('The call could not be ended because the phone service did not answer. Try again in a moment.');
      expect((await callOf(body.callSid)).status).toBe('in-progress');
    } finally {
      backend.deps.callControl = working;
    }
    expect((await api<{ call: Call }>(demo, 'POST', `/api/calls/${open.id}/hangup`)).body.call.status).toBe('completed');
  });

  it('refuses ids that are not calls', async () => {
    expect((await api(demo, 'POST', '/api/calls/not-a-uuid/hangup')).status).toBe(404);
    expect((await api(demo, 'POST', `/api/calls/${crypto.randomUUID()}/hangup`)).status).toBe(404);
  });
});
