// The toll-fraud guard on the Voice URL: shared-cost and premium numbers, the per-agent rate limit and one call at a time, race-free.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSid, createTestBackend, type TestBackend } from '../../test/support/backend/test-backend.js';
import { identityForAgent } from '../twilio/agent-identity.js';
import type { StoredAgent } from '../store/call-store.js';

let t: TestBackend;
beforeAll(async () => {
  t = await createTestBackend({ ALLOWED_COUNTRIES: 'US,CA,FR,GB', RATE_LIMIT_CALLS: '3', RATE_LIMIT_WINDOW_SECONDS: '300' });
});
afterAll(() => t.close());

const REFUSAL = /^<\?xml version="1.0" encoding="UTF-8"\?><Response><Say>This call was refused: [^<]*<\/Say><Hangup\/><\/Response>$/;

async function end(callId: string, parent: string) {
  const res = await t.twilio(`/api/twilio/outbound-status?callId=${callId}`, { CallSid: parent, DialCallSid: callSid(), DialCallStatus: 'completed', DialCallDuration: '5' });
  expect(res.status).toBe(200);
}

async function latestCall(agent: StoredAgent) {
  const { rows } = await t.db.query<{ id: string }>('select id from calls where assigned_to = $1 order by created_at desc, id desc limit 1', [agent.id]);
  return (await t.deps.store.getCall(rows[0]!.id))!;
}

function voiceUrl(agent: StoredAgent, to: string, sid = callSid()) {
  return t.twilio('/api/twilio/outbound', {
    AccountSid: t.deps.creds.accountSid,
    CallSid: sid,
    From: `client:${identityForAgent(agent.id)}`,
    To: to,
  });
}

describe('toll-fraud guard', () => {
  it.each([
    ['a shared-cost number', '+33 810 12 34 56', 'shared-cost-number', /\+33810123456 is a shared-cost number/],
    ['a premium-rate number in an allowed country', '+44 844 555 1234', 'premium-number', /\+448445551234 is a premium-rate number/],
    ['a premium-rate number written nationally', '1-900-555-0199', 'premium-number', /\+19005550199 is a premium-rate number/],
    ['a number in a country that is not allowed', '+49 30 901820', 'country-not-allowed', /calls to DE are not allowed/],
  ])('refuses %s with <Say> and <Hangup/> and records a failed call with the reason', async (_what, to, code, reason) => {
    const { response, twiml } = await t.placeCall(t.agents.bob, to);
    expect(response.status).toBe(200);
    expect(twiml).toMatch(REFUSAL);
    expect(twiml).toMatch(reason);
    expect(await latestCall(t.agents.bob)).toMatchObject({ status: 'failed', errorCode: code, errorMessage: expect.stringMatching(reason), endedAt: expect.any(String) });
  });

  it.each([
    ['a phone number instead of a client identity', '+14155550100'],
    ['a client identity that is not an agent id', 'client:alice'],
    ['an agent-shaped identity of nobody', `client:${identityForAgent('00000000-0000-4000-8000-000000000000')}`],
  ])('refuses a caller with %s and records no call', async (_what, from) => {
    const before = await t.count('calls');
    const res = await t.twilio('/api/twilio/outbound', { AccountSid: t.deps.creds.accountSid, CallSid: callSid(), From: from, To: '+14155550100' });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<Say>This call was refused: the caller is not a known agent\. Sign in to the extension again\.<\/Say><Hangup\/>/);
    expect(await t.count('calls')).toBe(before);
  });

  it('refuses the call over the per-agent rate limit, and allows calls again once the window has passed', async () => {
    // Alice's own limit: 3 calls in 5 minutes, refused ones included (dialling bad numbers in a loop is what it stops).
    t.clock.advance(600_000);
    for (let i = 0; i < 3; i++) {
      const placed = await t.placeCall(t.agents.alice, `+1415555020${i}`);
      expect(placed.twiml).toMatch(/<Dial /);
      await end(placed.callId!, placed.callSid);
    }
    const over = await t.placeCall(t.agents.alice, '+14155550209');
    expect(over.twiml).toMatch(REFUSAL);
    expect(over.twiml).toMatch(/you placed 3 calls in the last 5 minutes/);
    expect(await latestCall(t.agents.alice)).toMatchObject({ status: 'failed', errorCode: 'rate-limited', toNumber: '+14155550209' });

    // Another agent is not limited by Alice's calls.
    const eve = await t.placeCall(t.agents.eve, '+14155550210');
    expect(eve.twiml).toMatch(/<Dial /);
    await end(eve.callId!, eve.callSid);

    t.clock.advance(300_000);
    const later = await t.placeCall(t.agents.alice, '+14155550211');
    expect(later.twiml).toMatch(/<Dial /);
    await end(later.callId!, later.callSid);
  });

  it('lets only one of two simultaneous Voice URL requests of one agent through', async () => {
    t.clock.advance(600_000);
    const results = await Promise.all(['+14155550220', '+14155550221', '+14155550222'].map((to) => voiceUrl(t.agents.bob, to)));
    const twimls = await Promise.all(results.map((r) => r.text()));
    const dialled = twimls.filter((x) => x.includes('<Dial '));
    const refused = twimls.filter((x) => /already on a call/.test(x));
    expect(dialled).toHaveLength(1);
    expect(refused).toHaveLength(2);
    for (const r of refused) expect(r).toMatch(REFUSAL);
    const { rows } = await t.db.query<{ status: string; error_code: string | null }>(
      `select status, error_code from calls where assigned_to = $1 and to_number like '+1415555022%' order by status`,
      [t.agents.bob.id],
    );
    expect(rows).toEqual([
      { status: 'failed', error_code: 'agent-busy' },
      { status: 'failed', error_code: 'agent-busy' },
      { status: 'initiated', error_code: null },
    ]);
    const callId = /callId=([0-9a-f-]{36})/.exec(dialled[0]!)![1]!;
    const call = (await t.deps.store.getCall(callId))!;
    await end(callId, call.twilioCallSid!);
  });

  it('answers a retried Voice URL request of the open call with its <Dial>, not with "already on a call"', async () => {
    t.clock.advance(600_000);
    const sid = callSid();
    const first = await (await voiceUrl(t.agents.bob, '+14155550230', sid)).text();
    const retried = await Promise.all([voiceUrl(t.agents.bob, '+14155550230', sid), voiceUrl(t.agents.bob, '+14155550230', sid)]);
    for (const r of retried) expect(await r.text()).toBe(first);
    expect(first).toMatch(/<Dial /);
    const callId = /callId=([0-9a-f-]{36})/.exec(first)![1]!;
    await end(callId, sid);
  });
});
