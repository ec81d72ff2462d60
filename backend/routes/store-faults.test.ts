// The store failing or stalling during a Twilio callback: the backend answers 5xx (or Twilio times out), Twilio retries, the event is applied once.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { postSignedForm } from '../sim/callback-poster.js';
import { faultyStore, type FaultyStore } from '../../test/support/backend/faulty-store.js';
import { callSid, createTestBackend, type TestBackend } from '../../test/support/backend/test-backend.js';
import { identityForAgent } from '../twilio/agent-identity.js';
import { CALLBACK_RETRY } from '../twilio/webhook-urls.js';

let t: TestBackend;
let faults: FaultyStore;
let server: ServerType;
let base: string;

beforeAll(async () => {
  t = await createTestBackend();
  faults = faultyStore(t.deps.store);
  // The same app over real HTTP, on the faulty store, with its public URL being where it listens (as Twilio signs it).
  let app: Hono | null = null;
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: (req) => app!.fetch(req), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app = createApp({ ...t.deps, store: faults.store, config: { ...t.deps.config, publicBaseUrl: base } });
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await t.close();
});

const post = (url: string, form: Record<string, string>, timeoutMs = 15_000) =>
  postSignedForm(url, { AccountSid: t.deps.creds.accountSid, ...form }, t.deps.creds.authToken, {
    retryDelayMs: 10,
    // Twilio gives up on a callback that takes too long, then retries it: a short timeout plays that part.
    fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
  });

async function placeCall(to: string) {
  const sid = callSid();
  const voice = await post(`${base}/api/twilio/outbound`, { CallSid: sid, From: `client:${identityForAgent(t.agents.bob.id)}`, To: to });
  const callId = /callId=([0-9a-f-]{36})/.exec(voice.body)![1]!;
  return { sid, callId, events: `${base}/api/twilio/outbound-events?callId=${callId}${CALLBACK_RETRY}`, dial: `${base}/api/twilio/outbound-status?callId=${callId}${CALLBACK_RETRY}` };
}

async function ledger(callId: string) {
  const { rows } = await t.db.query<{ source: string; status: string }>('select source, status from call_events where call_id = $1 order by id', [callId]);
  return rows.map((r) => `${r.source}:${r.status}`);
}

describe('store faults during callbacks', () => {
  it('answers 500 while the store fails, so Twilio retries, and applies the retried event once', async () => {
    const call = await placeCall('+14155550180');
    faults.failNext('recordCallEvent', 2);
    const ringing = await post(call.events, { CallSid: callSid(), CallStatus: 'ringing', SequenceNumber: '1' });
    expect(ringing).toMatchObject({ status: 204, attempts: 3 });
    expect(await ledger(call.callId)).toEqual(['call-progress-events:ringing']);
    expect((await t.deps.store.getCall(call.callId))!.status).toBe('ringing');

    faults.failNext('recordCallEvent', 1);
    const dial = await post(call.dial, { CallSid: call.sid, DialCallSid: callSid(), DialCallStatus: 'completed', DialCallDuration: '12' });
    expect(dial).toMatchObject({ status: 200, attempts: 2 });
    expect(await ledger(call.callId)).toEqual(['call-progress-events:ringing', 'dial-action:completed']);
    expect((await t.deps.store.getCall(call.callId))!).toMatchObject({ status: 'completed', duration: 12 });
  });

  it('gives up with a 500 after the retries the URL allows, and writes nothing', async () => {
    const call = await placeCall('+14155550181');
    faults.failNext('recordCallEvent', 4);
    const res = await post(call.events, { CallSid: callSid(), CallStatus: 'ringing', SequenceNumber: '1' });
    expect(res).toMatchObject({ status: 500, attempts: 4 });
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'internal', message: 'Something went wrong on the server. Try again in a moment.' } });
    expect(await ledger(call.callId)).toEqual([]);
    await post(call.dial, { CallSid: call.sid, DialCallSid: callSid(), DialCallStatus: 'canceled' });
  });

  it('applies an event once when the store is so slow that Twilio times out and retries it', async () => {
    const call = await placeCall('+14155550182');
    // The first attempt's write lands, but its answer comes after Twilio stopped waiting; the retry finds it in the ledger.
    faults.delayNext('recordCallEvent', 600);
    const writesBefore = faults.calls('recordCallEvent');
    const res = await post(call.dial, { CallSid: call.sid, DialCallSid: callSid(), DialCallStatus: 'busy', DialCallDuration: '0' }, 300);
    expect(res).toMatchObject({ status: 200, attempts: 2 });
    expect(faults.calls('recordCallEvent') - writesBefore).toBe(2);
    await new Promise((r) => setTimeout(r, 700));
    expect(await ledger(call.callId)).toEqual(['dial-action:busy']);
    expect((await t.deps.store.getCall(call.callId))!).toMatchObject({ status: 'busy', endedAt: expect.any(String) });
  });

  it('answers a retry of a callback it already recorded without the database, even while the store fails', async () => {
    const call = await placeCall('+14155550184');
    const form = { CallSid: callSid(), CallStatus: 'ringing', SequenceNumber: '1' };
    expect((await post(call.events, form)).status).toBe(204);
    faults.failNext('recordCallEvent', 1);
    const writes = faults.calls('recordCallEvent');
    expect(await post(call.events, form)).toMatchObject({ status: 204, attempts: 1 });
    expect(faults.calls('recordCallEvent')).toBe(writes);
    // The injected failure is still pending: the next new event meets it (and is retried).
    expect(await post(call.dial, { CallSid: call.sid, DialCallSid: callSid(), DialCallStatus: 'canceled' })).toMatchObject({ status: 200, attempts: 2 });
    expect(await ledger(call.callId)).toEqual(['call-progress-events:ringing', 'dial-action:canceled']);
  });

  it('answers the Voice URL with 500 while the store fails, and the retried request creates the call once', async () => {
    const sid = callSid();
    const before = await t.count('calls');
    faults.failNext('placeOutboundCall', 1);
    const voice = await postSignedForm(
      `${base}/api/twilio/outbound#rc=2&rp=5xx`,
      { AccountSid: t.deps.creds.accountSid, CallSid: sid, From: `client:${identityForAgent(t.agents.eve.id)}`, To: '+14155550183' },
      t.deps.creds.authToken,
      { retryDelayMs: 10 },
    );
    expect(voice).toMatchObject({ status: 200, attempts: 2 });
    expect(voice.body).toMatch(/<Dial /);
    expect(await t.count('calls')).toBe(before + 1);
    const callId = /callId=([0-9a-f-]{36})/.exec(voice.body)![1]!;
    await post(`${base}/api/twilio/outbound-status?callId=${callId}`, { CallSid: sid, DialCallSid: callSid(), DialCallStatus: 'completed' });
  });
});
