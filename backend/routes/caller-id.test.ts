// Caller-id choice: the number an agent calls from must be one of their organization's; a forged one is refused in the
// TwiML and recorded as failed with the reason, and TWILIO_PHONE_NUMBER stays the fallback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORGED_CALLER_ID_REASON } from '../twilio/caller-id.js';
import { createTestBackend, type TestBackend } from '../../test/support/backend/test-backend.js';

let t: TestBackend;
beforeAll(async () => {
  t = await createTestBackend();
  await t.deps.store.addPhoneNumber({ organizationId: t.agents.alice.organizationId, e164: '+14155550900', label: 'Sales', isDefault: false, twilioSid: null });
  await t.deps.store.addPhoneNumber({ organizationId: t.agents.alice.organizationId, e164: '+12125550901', label: 'New York', isDefault: false, twilioSid: null });
  await t.deps.store.addPhoneNumber({ organizationId: t.agents.eve.organizationId, e164: '+14155550999', label: 'Globex', isDefault: true, twilioSid: null });
});
afterAll(() => t.close());

const callerIdOf = (twiml: string) => /<Dial callerId="([^"]+)"/.exec(twiml)?.[1] ?? null;

describe('the caller id of an outbound call', () => {
  it('refuses a caller id of another organization, says why and records the call as failed with the reason', async () => {
    const { response, twiml, callSid } = await t.placeCall(t.agents.alice, '+14155550100', { callFrom: '+14155550999' });
    expect(response.status).toBe(200);
    expect(twiml).not.toContain('<Dial');
    expect(twiml).toContain('<Hangup/>');
    expect(twiml).toContain('not one of your organization');
    const call = await t.deps.store.findCallBySid(callSid);
    expect(call).toMatchObject({ status: 'failed', errorCode: 'caller-id-not-allowed', errorMessage: FORGED_CALLER_ID_REASON, toNumber: '+14155550100' });
  });

  it('refuses a caller id that is no number at all, and one nobody has', async () => {
    for (const forged of ['client:agent_x', '+1415555099', '+19995550000']) {
      const { twiml, callSid } = await t.placeCall(t.agents.bob, '+14155550101', { callFrom: forged });
      expect(twiml).toContain('<Hangup/>');
      expect(await t.deps.store.findCallBySid(callSid)).toMatchObject({ status: 'failed', errorCode: 'caller-id-not-allowed' });
    }
  });

  it("uses the organization's number the agent chose, in the TwiML and the call's record", async () => {
    const { twiml, callSid } = await t.placeCall(t.agents.alice, '+12125550102', { callFrom: '+12125550901' });
    expect(callerIdOf(twiml)).toBe('+12125550901');
    expect(await t.deps.store.findCallBySid(callSid)).toMatchObject({ status: 'initiated', fromNumber: '+12125550901' });
    await t.twilio(`/api/twilio/outbound-status?callId=${/callId=([0-9a-f-]{36})/.exec(twiml)![1]}`, { AccountSid: t.deps.creds.accountSid, CallSid: callSid, DialCallSid: callSid, DialCallStatus: 'completed' });
  });

  it("falls back to the organization's default number, then to TWILIO_PHONE_NUMBER", async () => {
    const eve = await t.placeCall(t.agents.eve, '+14155550103');
    expect(callerIdOf(eve.twiml)).toBe('+14155550999');
    const bob = await t.placeCall(t.agents.bob, '+14155550104');
    expect(callerIdOf(bob.twiml)).toBe(t.deps.creds.callerId);
  });
});
