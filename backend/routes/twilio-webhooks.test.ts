import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSid, createTestBackend, PUBLIC_BASE_URL, type TestBackend } from '../../test/support/backend/test-backend.js';
import { identityForAgent } from '../twilio/agent-identity.js';

let t: TestBackend;
beforeAll(async () => {
  t = await createTestBackend();
});
afterAll(() => t.close());

const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');

function progress(callId: string, childSid: string, parentSid: string, seq: number, status: string, at: Date, extra: Record<string, string> = {}) {
  return () =>
    t.twilio(`/api/twilio/outbound-events?callId=${callId}`, {
      AccountSid: t.deps.creds.accountSid,
      CallSid: childSid,
      ParentCallSid: parentSid,
      CallStatus: status,
      SequenceNumber: String(seq),
      Timestamp: rfc2822(at),
      CallbackSource: 'call-progress-events',
      ...extra,
    });
}

function dialAction(callId: string, parentSid: string, childSid: string, status: string, duration?: number) {
  return () =>
    t.twilio(`/api/twilio/outbound-status?callId=${callId}`, {
      AccountSid: t.deps.creds.accountSid,
      CallSid: parentSid,
      DialCallSid: childSid,
      DialCallStatus: status,
      ...(duration === undefined ? {} : { DialCallDuration: String(duration) }),
      DialBridged: 'true',
    });
}

async function callRow(id: string) {
  const call = await t.deps.store.getCall(id);
  if (!call) throw new Error('no call');
  return call;
}

describe('POST /api/twilio/outbound', () => {
  it('records the call and answers with a <Dial> to the E.164 number', async () => {
    const { response, twiml, callId } = await t.placeCall(t.agents.alice, '(415) 555-0100', {
      contactName: 'Grace Hall',
      pageUrl: 'https://crm.example.com/leads/1',
      pageTitle: 'Leads',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(twiml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response>' +
        `<Dial callerId="+15005550006" answerOnBridge="true" timeLimit="3600" action="${PUBLIC_BASE_URL}/twilio/outbound-status?callId=${callId}#rc=3&amp;rp=all" method="POST">` +
        `<Number statusCallback="${PUBLIC_BASE_URL}/twilio/outbound-events?callId=${callId}#rc=3&amp;rp=all" statusCallbackEvent="initiated ringing answered completed" statusCallbackMethod="POST">+14155550100</Number>` +
        '</Dial></Response>',
    );
    const call = await callRow(callId!);
    expect(call).toMatchObject({
      direction: 'outbound',
      status: 'initiated',
      toNumber: '+14155550100',
      contactName: 'Grace Hall',
      assignedTo: t.agents.alice.id,
      pageUrl: 'https://crm.example.com/leads/1',
      pageTitle: 'Leads',
    });
    // End it so later tests may place calls for Alice.
    await dialAction(callId!, call.twilioCallSid!, callSid(), 'no-answer')();
  });

  it('answers a retried Voice URL request with the same call', async () => {
    const before = await t.count('calls');
    const sid = callSid();
    const form = {
      AccountSid: t.deps.creds.accountSid,
      CallSid: sid,
      From: `client:${identityForAgent(t.agents.bob.id)}`,
      To: '+14155550111',
    };
    const a = await (await t.twilio('/api/twilio/outbound', form)).text();
    const b = await (await t.twilio('/api/twilio/outbound', form)).text();
    expect(b).toBe(a);
    expect(await t.count('calls')).toBe(before + 1);
    const callId = /callId=([0-9a-f-]{36})/.exec(a)![1]!;
    await dialAction(callId, sid, callSid(), 'busy')();
  });

  it.each([
    ['an invalid number', '555-01', /not a valid phone number/],
    ['a country that is not allowed', '+44 20 7946 0100', /calls to GB are not allowed/],
    ['a premium-rate number', '+1 900 555 0100', /premium-rate number/],
  ])('refuses %s with <Say> and <Hangup/> and records it as failed', async (_what, to, reason) => {
    const { response, twiml } = await t.placeCall(t.agents.bob, to);
    expect(response.status).toBe(200);
    expect(twiml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Say>This call was refused: .*<\/Say><Hangup\/><\/Response>$/);
    expect(twiml).toMatch(reason);
    const latest = (await t.deps.store.listCalls(t.agents.bob.organizationId, 1, null)).calls[0]!;
    expect(latest.status).toBe('failed');
    expect(latest.errorMessage).toMatch(reason);
    expect(latest.endedAt).not.toBeNull();
  });

  it('refuses a caller who is not a known agent without recording a call', async () => {
    const before = await t.count('calls');
    const res = await t.twilio('/api/twilio/outbound', {
      AccountSid: t.deps.creds.accountSid,
      CallSid: callSid(),
      From: `client:${identityForAgent('00000000-0000-4000-8000-000000000000')}`,
      To: '+14155550100',
    });
    expect(await res.text()).toMatch(/<Say>This call was refused: the caller is not a known agent.*<\/Say><Hangup\/>/);
    expect(await t.count('calls')).toBe(before);
  });

  it('refuses a second call while the agent is on one', async () => {
    const first = await t.placeCall(t.agents.eve, '+14155550122');
    const second = await t.placeCall(t.agents.eve, '+14155550123');
    expect(second.twiml).toMatch(/already on a call/);
    await dialAction(first.callId!, first.callSid, callSid(), 'completed', 3)();
  });
});

describe('Twilio signature', () => {
  const form = () => ({ AccountSid: t.deps.creds.accountSid, CallSid: callSid(), From: `client:${identityForAgent(t.agents.bob.id)}`, To: '+14155550100' });

  it('refuses a missing signature with 403 and writes nothing', async () => {
    const before = await t.count('calls');
    const res = await t.app.request('/api/twilio/outbound', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form()).toString(),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: 'invalid-signature', message: expect.stringMatching(/X-Twilio-Signature/) } });
    expect(await t.count('calls')).toBe(before);
  });

  it('refuses a tampered body', async () => {
    const f = form();
    const url = `${PUBLIC_BASE_URL}/api/twilio/outbound`;
    const { twilioSignature } = await import('../twilio/request-signature.js');
    const signature = twilioSignature(t.deps.creds.authToken, url, f);
    const res = await t.twilio('/api/twilio/outbound', { ...f, To: '+19005550100' }, { signature });
    expect(res.status).toBe(403);
  });

  it('refuses a signature made for another URL (such as the Host header instead of PUBLIC_BASE_URL)', async () => {
    const res = await t.twilio('/api/twilio/outbound', form(), { url: 'http://localhost/api/twilio/outbound' });
    expect(res.status).toBe(403);
  });

  it('refuses a signature made with another auth token', async () => {
    const f = form();
    const { twilioSignature } = await import('../twilio/request-signature.js');
    const res = await t.twilio('/api/twilio/outbound', f, { signature: twilioSignature('0'.repeat(32), `${PUBLIC_BASE_URL}/api/twilio/outbound`, f) });
    expect(res.status).toBe(403);
  });

  it('checks the signature before saying a callId is unknown', async () => {
    const path = '/api/twilio/outbound-events?callId=00000000-0000-4000-8000-000000000000';
    const unsigned = await t.twilio(path, { CallStatus: 'ringing', CallSid: callSid() }, { signature: 'forged' });
    expect(unsigned.status).toBe(403);
    const signed = await t.twilio(path, { CallStatus: 'ringing', CallSid: callSid() });
    expect(signed.status).toBe(404);
  });
});

describe('status callbacks', () => {
  it('records progress, answer time and duration, and ends the call', async () => {
    const { callId, callSid: parent } = await t.placeCall(t.agents.bob, '+14155550130', { contactName: 'Henry Young' });
    const child = callSid();
    const t0 = new Date('2026-11-24T12:00:00Z');
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    for (const step of [
      progress(callId!, child, parent, 0, 'initiated', at(0)),
      progress(callId!, child, parent, 1, 'ringing', at(1)),
      progress(callId!, child, parent, 2, 'in-progress', at(3)),
    ]) expect((await step()).status).toBe(204);
    expect(await callRow(callId!)).toMatchObject({ status: 'in-progress', answeredAt: at(3).toISOString(), dialCallSid: child });
    await progress(callId!, child, parent, 3, 'completed', at(45), { CallDuration: '42' })();
    const res = await dialAction(callId!, parent, child, 'completed', 42)();
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(await callRow(callId!)).toMatchObject({ status: 'completed', duration: 42, answeredAt: at(3).toISOString() });
  });

  it('replays a duplicated callback without changing the call or the ledger', async () => {
    const { callId, callSid: parent } = await t.placeCall(t.agents.bob, '+14155550131');
    const child = callSid();
    const ringing = progress(callId!, child, parent, 1, 'ringing', new Date('2026-11-24T12:00:01Z'));
    await ringing();
    const events = await t.count('call_events');
    const call = await callRow(callId!);
    expect((await ringing()).status).toBe(204);
    expect(await t.count('call_events')).toBe(events);
    expect(await callRow(callId!)).toEqual(call);
    await dialAction(callId!, parent, child, 'canceled')();
  });

  it('reaches the same final state for every order of the events, duplicated (in the database)', async () => {
    const t0 = new Date('2026-11-24T12:00:00Z');
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    const orders = [
      [0, 1, 2, 3, 4],
      [4, 3, 2, 1, 0],
      [2, 4, 0, 3, 1],
      [3, 0, 4, 1, 2],
      [1, 3, 0, 2, 4],
      [4, 2, 4, 0, 1, 3, 2],
    ];
    const finals = [];
    for (const order of orders) {
      const { callId, callSid: parent } = await t.placeCall(t.agents.bob, '+14155550132');
      const child = callSid();
      const steps = [
        progress(callId!, child, parent, 0, 'initiated', at(0)),
        progress(callId!, child, parent, 1, 'ringing', at(1)),
        progress(callId!, child, parent, 2, 'in-progress', at(3)),
        progress(callId!, child, parent, 3, 'completed', at(45), { CallDuration: '42' }),
        dialAction(callId!, parent, child, 'completed', 42),
      ];
      for (const i of order) await steps[i]!();
      const c = await callRow(callId!);
      finals.push({ status: c.status, answeredAt: c.answeredAt, duration: c.duration });
      const { rows } = await t.db.query<{ n: number }>('select count(*)::int as n from call_events where call_id = $1', [callId]);
      expect(rows[0]!.n).toBe(5);
    }
    expect(new Set(finals.map((f) => JSON.stringify(f))).size).toBe(1);
    expect(finals[0]).toEqual({ status: 'completed', answeredAt: at(3).toISOString(), duration: 42 });
  });

  it('refuses a malformed callId with 400', async () => {
    const res = await t.twilio('/api/twilio/outbound-events?callId=1%27%20or%201=1', { CallStatus: 'ringing', CallSid: callSid() });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/callId/);
  });
});
