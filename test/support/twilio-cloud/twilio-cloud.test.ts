// The Twilio stand-in speaks the Voice SDK's signalling as the SDK expects it and plays each call through the backend's real webhooks.
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { TOKEN_CODES, verifyVoiceToken } from './access-token.js';
import { FAKE_TWILIO, startTwilioWorld, type TwilioWorld } from './twilio-mode-backend.js';
import { withoutTelephoneEvent } from './twilio-cloud.js';

const PASSWORD = 'twilio-cloud-pw-1';
let world: TwilioWorld;
let accessToken: string;

beforeAll(async () => {
  world = await startTwilioWorld({ env: { DEMO_PASSWORD: PASSWORD }, cloud: { timeScale: 0.02 } });
  const res = await fetch(`${world.backend.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'demo@example.com', password: PASSWORD }),
  });
  accessToken = ((await res.json()) as { accessToken: string }).accessToken;
});
afterAll(async () => {
  await world?.close();
});

async function voiceToken(): Promise<string> {
  const res = await fetch(`${world.backend.url}/api/twilio/token`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: '{}' });
  return ((await res.json()) as { token: string }).token;
}

function mint(overrides: { secret?: string; apiKey?: string; accountSid?: string; ttl?: number; grant?: boolean } = {}): string {
  const { AccessToken } = twilio.jwt;
  const token = new AccessToken(overrides.accountSid ?? FAKE_TWILIO.accountSid, overrides.apiKey ?? FAKE_TWILIO.apiKey, overrides.secret ?? FAKE_TWILIO.apiSecret, {
    identity: 'agent_x',
    ttl: overrides.ttl ?? 600,
  });
  if (overrides.grant !== false) token.addGrant(new AccessToken.VoiceGrant({ outgoingApplicationSid: FAKE_TWILIO.twimlAppSid }));
  return token.toJwt();
}

/** A signalling client speaking as the SDK's PStream does. */
async function connect() {
  const ws = new WebSocket(`wss://127.0.0.1:${world.cloud.port}/signal`, { rejectUnauthorized: false, headers: { host: 'voice-js.roaming.twilio.com' } });
  const inbox: Array<{ type: string; payload: Record<string, unknown> } | '\n'> = [];
  const waiting = new Set<() => void>();
  ws.on('message', (data) => {
    const text = data.toString();
    inbox.push(text === '\n' ? '\n' : (JSON.parse(text) as { type: string; payload: Record<string, unknown> }));
    for (const w of [...waiting]) w();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const publish = (type: string, payload: Record<string, unknown>) => ws.send(JSON.stringify({ type, version: '1.6', payload }));
  const next = (type: string, match: (p: Record<string, unknown>) => boolean = () => true) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} message`)), 10_000);
      const look = () => {
        const i = inbox.findIndex((m) => m !== '\n' && m.type === type && match(m.payload));
        if (i < 0) return;
        const [m] = inbox.splice(i, 1);
        clearTimeout(timer);
        waiting.delete(look);
        resolve((m as { payload: Record<string, unknown> }).payload);
      };
      waiting.add(look);
      look();
    });
  return { ws, inbox, publish, next, close: () => ws.close() };
}

async function listen(token?: string) {
  const client = await connect();
  client.publish('listen', { token: token ?? (await voiceToken()), browserinfo: {}, reconnectTimeout: 0 });
  return client;
}

async function recorded(callSid: string) {
  const { rows } = await world.backend.db.query<{ status: string; contact_name: string | null; page_title: string | null }>(
    'select status, contact_name, page_title from calls where twilio_call_sid = $1',
    [callSid],
  );
  return rows[0];
}

describe('the Twilio stand-in', () => {
  it('answers listen with connected naming the token identity and its remaining ttl, and register with ready', async () => {
    const client = await listen();
    const connected = await client.next('connected');
    expect(connected).toMatchObject({ region: 'us1', token: { identity: expect.stringMatching(/^agent_[0-9a-f]{32}$/) } });
    expect((connected.token as { ttl: number }).ttl).toBeGreaterThan(3500);
    client.publish('register', { media: { audio: true } });
    await client.next('ready');
    client.close();
  });

  it.each([
    ['a wrong API secret', mint({ secret: 'not-the-api-key-secret' }), TOKEN_CODES.signature],
    ['an unknown API key', mint({ apiKey: `SK${'0'.repeat(32)}` }), TOKEN_CODES.signature],
    ['another account', mint({ accountSid: `AC${'0'.repeat(32)}` }), TOKEN_CODES.noAccount],
    ['an expired token', mint({ ttl: -60 }), TOKEN_CODES.expired],
    ['no voice grant', mint({ grant: false }), TOKEN_CODES.authorization],
    ['a token that is not a JWT', 'not.a.jwt', TOKEN_CODES.invalid],
  ])('refuses %s with Twilio code %i', async (_what, token, code) => {
    await expect(verifyVoiceToken(token, FAKE_TWILIO)).rejects.toMatchObject({ code });
    const client = await listen(token);
    expect(await client.next('error')).toMatchObject({ error: { code } });
    client.publish('register', { media: { audio: true } });
    expect(await client.next('error')).toMatchObject({ error: { code: 31204 } });
    client.close();
  });

  it('refuses any token with the code a knob names', async () => {
    world.cloud.knobs.rejectTokenCode = 31205;
    try {
      const client = await listen();
      expect(await client.next('error')).toMatchObject({ error: { code: 31205 } });
      client.close();
    } finally {
      world.cloud.knobs.rejectTokenCode = null;
    }
  });

  it('places an invite through the signed Voice URL with its custom parameters: ringing, answer, and the agent hanging up completes it', async () => {
    const client = await listen();
    await client.next('connected');
    const params = new URLSearchParams({ To: '+14155550100', contactName: 'Grace Hall', pageTitle: 'CRM' }).toString();
    client.publish('invite', { callsid: 'TJSaaaa', sdp: 'v=0 offer', twilio: { params } });
    const ringing = await client.next('ringing');
    const callSid = String(ringing.callsid);
    expect(callSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(await recorded(callSid)).toMatchObject({ contact_name: 'Grace Hall', page_title: 'CRM' });
    const answer = await client.next('answer', (p) => p.callsid === callSid);
    expect(answer).toMatchObject({ reconnect: expect.any(String) });
    client.publish('dtmf', { callsid: callSid, dtmf: 'ww204' });
    await world.cloud.waitFor(() => world.cloud.call(callSid)?.digits === 'ww204', 'the digits');
    client.publish('hangup', { callsid: callSid });
    expect(await world.cloud.call(callSid)!.done).toBe('completed');
    await expect.poll(async () => (await recorded(callSid))?.status).toBe('completed');
    expect(world.cloud.call(callSid)!.endedBy).toBe('agent');
    client.close();
  });

  it('hangs up a busy call itself, naming the call sid, and the backend records busy', async () => {
    const client = await listen();
    await client.next('connected');
    client.publish('invite', { callsid: 'TJSbbbb', sdp: 'v=0', twilio: { params: 'To=%2B14155550000' } });
    const callSid = String((await client.next('ringing')).callsid);
    expect(await client.next('hangup')).toEqual({ callsid: callSid });
    await expect.poll(async () => (await recorded(callSid))?.status).toBe('busy');
    client.close();
  });

  it('answers a refused number to play its <Say>, then hangs up by the call sid', async () => {
    const client = await listen();
    await client.next('connected');
    client.publish('invite', { callsid: 'TJScccc', sdp: 'v=0', twilio: { params: 'To=%2B19005550199' } });
    const callSid = String((await client.next('answer')).callsid);
    expect(await client.next('hangup')).toEqual({ callsid: callSid });
    await expect.poll(async () => (await recorded(callSid))?.status).toBe('failed');
    client.close();
  });

  it('names the temporary TJS id when it ends a call before ringing (a failed number)', async () => {
    const client = await listen();
    await client.next('connected');
    client.publish('invite', { callsid: 'TJSeeee', sdp: 'v=0', twilio: { params: 'To=%2B14155550002' } });
    expect(await client.next('hangup')).toEqual({ callsid: 'TJSeeee' });
    client.close();
  });

  it('cancels the call when the agent hangs up while it connects, by the TJS id', async () => {
    world.cloud.knobs.timing = { ...world.cloud.knobs.timing, ringingAfterMs: 50_000 };
    try {
      const client = await listen();
      await client.next('connected');
      const next = world.cloud.nextCall();
      client.publish('invite', { callsid: 'TJSdddd', sdp: 'v=0', twilio: { params: 'To=%2B14155550111' } });
      const call = await next;
      client.publish('hangup', { callsid: 'TJSdddd' });
      expect(await call.done).toBe('canceled');
      client.close();
    } finally {
      world.cloud.knobs.timing = { ...world.cloud.knobs.timing, ringingAfterMs: 500 };
    }
  });

  it("sends Twilio's close when told to", async () => {
    const client = await listen();
    await client.next('connected');
    world.cloud.sendClose();
    await client.next('close');
    client.close();
  });

  it('sends the bare heartbeat and refuses websockets when told to', async () => {
    world.cloud.knobs.heartbeatMs = 50;
    const client = await connect();
    await new Promise((r) => setTimeout(r, 200));
    expect(client.inbox.filter((m) => m === '\n').length).toBeGreaterThan(1);
    client.close();
    world.cloud.knobs.heartbeatMs = 10_000;

    world.cloud.knobs.refuseSockets = true;
    try {
      await expect(connect()).rejects.toThrow(/503/);
    } finally {
      world.cloud.knobs.refuseSockets = false;
    }
  });

  it('answers the REST call resource for the reconciler and Insights posts', async () => {
    const call = world.cloud.calls().find((c) => c.status === 'busy')!;
    const res = await fetch(`${world.cloud.restOrigin}/2010-04-01/Accounts/${FAKE_TWILIO.accountSid}/Calls/${call.callSid}.json`);
    expect(await res.json()).toMatchObject({ sid: call.callSid, status: 'busy' });
    expect((await fetch(`${world.cloud.restOrigin}/2010-04-01/Accounts/${FAKE_TWILIO.accountSid}/Calls/CA${'9'.repeat(32)}.json`)).status).toBe(404);
  });

  it('takes telephone-event out of an answer when in-band DTMF is off', () => {
    const sdp = ['v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111 0 126', 'a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:126 telephone-event/8000', 'a=fmtp:126 0-15', ''].join('\r\n');
    expect(withoutTelephoneEvent(sdp)).toBe(['v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111 0', 'a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n'));
  });
});
