// Whole simulated inbound calls over real HTTP: the simulator posts the signed inbound Voice URL request, rings the
// <Client>s the TwiML names on their simulated devices, gives the call to the first that answers, and otherwise takes
// a voicemail — always through the real webhook routes; npm run sim:incoming places one against the running server.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentPresence, Call, SimDeviceEvent } from '../../shared/api.js';
import { ADMIN_CLI_ORGANIZATION_HEADER, ADMIN_CLI_TOKEN_HEADER } from '../admin/admin-cli-token.js';
import { addEmbeddedAgent } from '../auth/embedded-auth.js';
import { loadConfig } from '../config.js';
import { silentLogger } from '../logger.js';
import { startBackend, type RunningBackend } from '../server.js';
import { openSse, type SseClient } from '../../test/support/backend/sse-client.js';

// 1/50 of real time: the agents' softphones ring for 400 ms before the caller goes to voicemail.
const TIME_SCALE = 0.02;
const LINE = '+14155550850';

let backend: RunningBackend;
let dataDir: string;
const tokens: Record<'demo' | 'sam', string> = { demo: '', sam: '' };
const devices: Partial<Record<'demo' | 'sam', SseClient<SimDeviceEvent>>> = {};

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'c2c-sim-inbound-'));
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, DEMO_PASSWORD: 'demo-password-1', LOG_LEVEL: 'silent' });
  backend = await startBackend(config, { logger: silentLogger, telephony: { timeScale: TIME_SCALE } });
  await addEmbeddedAgent(backend.db, backend.deps.store, { email: 'sam@example.com', password: 'sam-password-1', displayName: 'Sam Second', organizationName: 'Demo' });
  tokens.demo = await login('demo@example.com', 'demo-password-1');
  tokens.sam = await login('sam@example.com', 'sam-password-1');
  for (const who of ['demo', 'sam'] as const) {
    devices[who] = await openSse<SimDeviceEvent>(`${backend.url}/api/sim/events`, tokens[who]);
    expect((await api(who, 'POST', '/api/softphone/registration', { registered: true })).status).toBe(200);
  }
});
afterAll(async () => {
  devices.demo?.close();
  devices.sam?.close();
  await backend?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function login(email: string, password: string) {
  const res = await fetch(`${backend.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function api<T = unknown>(who: 'demo' | 'sam' | null, method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${backend.url}${route}`, {
    method,
    headers: { ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
}

const cli = () => ({ [ADMIN_CLI_TOKEN_HEADER]: backend.deps.adminCliToken!, [ADMIN_CLI_ORGANIZATION_HEADER]: 'Demo' });
const ring = (who: 'demo' | 'sam', after: number) =>
  devices[who]!.next((e) => e.type === 'incoming' && devices[who]!.events.indexOf(e) >= after) as Promise<Extract<SimDeviceEvent, { type: 'incoming' }>>;
const eventOf = (who: 'demo' | 'sam', callSid: string, type: SimDeviceEvent['type']) => devices[who]!.next((e) => e.callSid === callSid && e.type === type);

async function callOf(parentSid: string): Promise<Call> {
  for (let i = 0; i < 200; i++) {
    const call = await backend.deps.store.findCallBySid(parentSid);
    if (call) return call;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no call recorded');
}

async function until(parentSid: string, check: (c: Call) => boolean): Promise<Call> {
  for (let i = 0; i < 500; i++) {
    const call = await callOf(parentSid);
    if (check(call)) return call;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`call never reached the expected state: ${JSON.stringify(await callOf(parentSid))}`);
}

describe('a simulated inbound call', () => {
  it('is refused while the organization has no number, in a sentence', async () => {
    const res = await api<{ error: { message: string } }>(null, 'POST', '/api/sim/incoming', { from: '+14155550177' }, cli());
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/no phone number/);
    const org = (await backend.deps.store.findOrganization('Demo'))!;
    await backend.deps.store.addPhoneNumber({ organizationId: org.id, e164: LINE, label: 'Main', isDefault: true, twilioSid: null });
  });

  it('rings both agents; the first to answer gets it, the other stops ringing, teammates see On a call', async () => {
    const [d0, s0] = [devices.demo!.events.length, devices.sam!.events.length];
    const placed = await api<{ callSid: string; to: string }>(null, 'POST', '/api/sim/incoming', { from: '+14155550177' }, cli());
    expect(placed.status).toBe(201);
    expect(placed.body.to).toBe(LINE);
    const [demoRing, samRing] = await Promise.all([ring('demo', d0), ring('sam', s0)]);
    expect(samRing.params).toMatchObject({ callerNumber: '+14155550177', From: '+14155550177', To: LINE, callId: expect.any(String) });
    expect((await api('sam', 'POST', `/api/sim/calls/${demoRing.callSid}/answer`)).status).toBe(403);

    expect((await api('sam', 'POST', `/api/sim/calls/${samRing.callSid}/answer`)).status).toBe(204);
    await eventOf('sam', samRing.callSid, 'accept');
    await eventOf('demo', demoRing.callSid, 'cancel');
    const late = await api<{ error: { message: string } }>('demo', 'POST', `/api/sim/calls/${demoRing.callSid}/answer`);
    expect(late.status).toBe(404);
    expect(late.body.error.message).toMatch(/no longer ringing/);

    const call = await until(placed.body.callSid, (c) => c.status === 'in-progress');
    const samId = (await backend.db.query<{ id: string }>(`select id from voip_users where email = 'sam@example.com'`)).rows[0]!.id;
    expect(call).toMatchObject({ direction: 'inbound', answeredBy: samId, assignedTo: samId, fromNumber: '+14155550177' });
    const agents = (await api<{ agents: AgentPresence[] }>('demo', 'GET', '/api/agents')).body.agents;
    expect(agents.find((a) => a.id === samId)).toMatchObject({ status: 'on-call', currentCallId: call.id });

    await new Promise((r) => setTimeout(r, 100));
    expect((await api<{ status: string }>('sam', 'POST', `/api/sim/calls/${samRing.callSid}/hangup`)).body).toEqual({ status: 'completed' });
    const done = await until(placed.body.callSid, (c) => c.status === 'completed');
    expect(done.duration).toBeGreaterThanOrEqual(4);
    // The caller's own status callback comes last, once Twilio has ended the call.
    let sources: string[] = [];
    for (let i = 0; i < 200 && !sources.includes('inbound-status'); i++) {
      await new Promise((r) => setTimeout(r, 10));
      sources = (await backend.db.query<{ source: string }>('select source from call_events where call_id = $1 order by id', [call.id])).rows.map((r) => r.source);
    }
    expect(sources).toEqual(expect.arrayContaining(['inbound-client', 'inbound-dial', 'inbound-status']));
  });

  it('takes a voicemail when nobody answers, which history plays to the organization\'s agents only', async () => {
    const placed = await api<{ callSid: string }>(null, 'POST', '/api/sim/incoming', { from: '+14155550178' }, cli());
    const call = await until(placed.body.callSid, (c) => c.voicemail !== null && c.voicemail !== undefined);
    expect(call).toMatchObject({ status: 'no-answer', answeredBy: null, voicemail: { seconds: 2 } });
    const audio = await fetch(`${backend.url}/api/calls/${call.id}/recording`, { headers: { authorization: `Bearer ${tokens.sam}` } });
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await audio.arrayBuffer()).subarray(0, 4).toString()).toBe('RIFF');
    // The simulator's recordings answer only the account's credentials, as Twilio's do.
    const direct = await fetch(`${backend.url}/api/sim-recordings/${(await backend.db.query<{ s: string }>('select recording_sid as s from calls where id = $1', [call.id])).rows[0]!.s}`);
    expect(direct.status).toBe(401);
  });

  it('goes to voicemail when both agents decline', async () => {
    const [d0, s0] = [devices.demo!.events.length, devices.sam!.events.length];
    const placed = await api<{ callSid: string }>(null, 'POST', '/api/sim/incoming', { from: '+14155550179' }, cli());
    const [demoRing, samRing] = await Promise.all([ring('demo', d0), ring('sam', s0)]);
    expect((await api('demo', 'POST', `/api/sim/calls/${demoRing.callSid}/decline`)).status).toBe(204);
    expect((await api('sam', 'POST', `/api/sim/calls/${samRing.callSid}/decline`)).status).toBe(204);
    const call = await until(placed.body.callSid, (c) => c.voicemail !== null && c.voicemail !== undefined);
    expect(call.status).toBe('no-answer');
    const { rows } = await backend.db.query<{ s: string }>(`select payload ->> 'DialCallStatus' as s from call_events where call_id = $1 and source = 'inbound-dial'`, [call.id]);
    expect(rows).toEqual([{ s: 'busy' }]);
  });

  it('is placed by npm run sim:incoming against the running server', async () => {
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'backend/cli/sim-incoming.ts', '--from', '+14155550180'], {
      env: { ...process.env, DATA_DIR: dataDir, SERVER_URL: backend.url },
    });
    expect(run.stdout).toMatch(new RegExp(`^Calling \\${LINE} from \\+14155550180 \\(CA[0-9a-f]{32}\\): the available agents of Demo are ringing\\.\\n$`));
    const sid = /\((CA[0-9a-f]{32})\)/.exec(run.stdout)![1]!;
    await until(sid, (c) => c.voicemail !== null && c.voicemail !== undefined);
  }, 30_000);
});
