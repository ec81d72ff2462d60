// The Voice URL's guard against toll fraud beyond number types: NANP ranges that cost more, emergency numbers, the call's
// time limit, the organization's daily cap and the extension digits sent after answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMERGENCY_CALL_MESSAGE } from '../calls/emergency.js';
import { callSid, createTestBackend, type TestBackend } from '../../test/support/backend/test-backend.js';
import type { StoredAgent } from '../store/call-store.js';
import { identityForAgent } from '../twilio/agent-identity.js';

let t: TestBackend;
beforeAll(async () => {
  t = await createTestBackend({ RATE_LIMIT_CALLS: '1000', ORG_DAILY_CALL_LIMIT: '40', MAX_CALL_MINUTES: '30' });
});
afterAll(() => t.close());

const REFUSAL = /^<\?xml version="1.0" encoding="UTF-8"\?><Response><Say>[^<]+<\/Say><Hangup\/><\/Response>$/;

async function end(callId: string, parent: string) {
  const res = await t.twilio(`/api/twilio/outbound-status?callId=${callId}`, { CallSid: parent, DialCallSid: callSid(), DialCallStatus: 'completed', DialCallDuration: '5' });
  expect(res.status).toBe(200);
}

async function latestCall(agent: StoredAgent) {
  const { rows } = await t.db.query<{ id: string }>('select id from calls where assigned_to = $1 order by created_at desc, id desc limit 1', [agent.id]);
  return (await t.deps.store.getCall(rows[0]!.id))!;
}

describe('NANP ranges that cost more than a normal call', () => {
  it.each([
    ['a 976 exchange in New York', '+1 212 976 1234', 'nanp-976'],
    ['a 976 exchange in Toronto', '+1 416 976 1234', 'nanp-976'],
    ['a 976 exchange written nationally', '(312) 976-5555', 'nanp-976'],
    ['a 5XX personal communications number', '+1 533 555 0100', 'nanp-personal'],
    ['the 500 personal communications code', '+1 500 555 0100', 'nanp-personal'],
    ['a high-cost northern Canada number (867)', '+1 867 873 1234', 'ca-high-cost'],
    ['a Canadian non-geographic number (600)', '+1 600 555 0100', 'ca-non-geographic'],
  ])('refuses %s with <Say> and <Hangup/> and records why', async (_what, to, code) => {
    const { twiml } = await t.placeCall(t.agents.bob, to);
    expect(twiml).toMatch(REFUSAL);
    expect(twiml).toMatch(/This call was refused: \+1\d{10} is in a range/);
    expect(await latestCall(t.agents.bob)).toMatchObject({ status: 'failed', errorCode: code });
  });

  it('still dials an ordinary number of the same area codes', async () => {
    for (const to of ['+1 212 555 0123', '+1 416 555 0123']) {
      const placed = await t.placeCall(t.agents.bob, to);
      expect(placed.twiml).toMatch(/<Dial /);
      await end(placed.callId!, placed.callSid);
    }
  });
});

describe('emergency numbers', () => {
  it.each(['911', '112', '999', '1-911', '+1 911', '000'])('answers %s with the emergency sentence, not "not a valid phone number"', async (to) => {
    const { twiml } = await t.placeCall(t.agents.bob, to);
    expect(twiml).toBe(`<?xml version="1.0" encoding="UTF-8"?><Response><Say>${EMERGENCY_CALL_MESSAGE}</Say><Hangup/></Response>`);
    expect(await latestCall(t.agents.bob)).toMatchObject({ status: 'failed', errorCode: 'emergency-number', errorMessage: EMERGENCY_CALL_MESSAGE });
  });
});

describe('the call time limit', () => {
  it('puts MAX_CALL_MINUTES into <Dial timeLimit> in seconds', async () => {
    const placed = await t.placeCall(t.agents.bob, '+14155550300');
    expect(placed.twiml).toMatch(/<Dial [^>]*timeLimit="1800"/);
    await end(placed.callId!, placed.callSid);
  });
});

describe('extension digits', () => {
  it('sends a well-formed extension as <Number sendDigits> and stores it with the call', async () => {
    const placed = await t.placeCall(t.agents.bob, '+14155550301', { extension: 'ww204#' });
    expect(placed.twiml).toMatch(/<Number [^>]*sendDigits="ww204#"[^>]*>\+14155550301<\/Number>/);
    const { rows } = await t.db.query<{ extension: string | null }>('select extension from calls where id = $1', [placed.callId]);
    expect(rows[0]!.extension).toBe('ww204#');
    // Twilio retries the Voice URL request: the same answer, extension included.
    const again = await t.twilio('/api/twilio/outbound', { AccountSid: t.deps.creds.accountSid, CallSid: placed.callSid, From: `client:${identityForAgent(t.agents.bob.id)}`, To: '+14155550301', extension: 'ww204#' });
    expect(await again.text()).toBe(placed.twiml);
    await end(placed.callId!, placed.callSid);
  });

  it('dials without sendDigits when there is no extension', async () => {
    const placed = await t.placeCall(t.agents.bob, '+14155550302');
    expect(placed.twiml).not.toMatch(/sendDigits/);
    await end(placed.callId!, placed.callSid);
  });

  it.each([
    ['letters', '12a4'],
    ['a comma', '1,2'],
    ['more than 16 characters', '1'.repeat(17)],
    ['a space', '12 3'],
    ['an XML attribute break', '1" action="https://evil.example'],
  ])('refuses an extension with %s, with a sentence, and records the call as failed', async (_what, extension) => {
    const { twiml } = await t.placeCall(t.agents.bob, '+14155550303', { extension });
    expect(twiml).toMatch(REFUSAL);
    expect(twiml).toMatch(/This call was refused: the extension can only be up to 16 digits, \*, # and w or W pauses\./);
    expect(twiml).not.toMatch(/evil/);
    expect(await latestCall(t.agents.bob)).toMatchObject({ status: 'failed', errorCode: 'invalid-extension' });
  });
});

describe("the organization's daily call cap", () => {
  it("refuses calls once the organization placed ORG_DAILY_CALL_LIMIT in a day, whichever agent, and not another organization's", async () => {
    t.clock.advance(2 * 24 * 3600_000);
    const agents = [t.agents.alice, t.agents.bob];
    for (let i = 0; i < 40; i++) {
      const placed = await t.placeCall(agents[i % 2]!, `+1415555${String(4000 + i)}`);
      expect(placed.twiml).toMatch(/<Dial /);
      await end(placed.callId!, placed.callSid);
    }
    const over = await t.placeCall(t.agents.alice, '+14155554999');
    expect(over.twiml).toMatch(REFUSAL);
    expect(over.twiml).toMatch(/your organization placed 40 calls in the last 24 hours/);
    expect(await latestCall(t.agents.alice)).toMatchObject({ status: 'failed', errorCode: 'organization-limit' });

    const eve = await t.placeCall(t.agents.eve, '+14155554998');
    expect(eve.twiml).toMatch(/<Dial /);
    await end(eve.callId!, eve.callSid);

    t.clock.advance(24 * 3600_000);
    const tomorrow = await t.placeCall(t.agents.bob, '+14155554997');
    expect(tomorrow.twiml).toMatch(/<Dial /);
    await end(tomorrow.callId!, tomorrow.callSid);
  });
});
