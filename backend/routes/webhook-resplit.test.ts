// Twilio signs the sorted fields' names and values run together, with no separator: one signed callback can be re-split
// into other field boundaries under the same signature. Such a replay must neither add ledger rows nor pass malformed SIDs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSid, createTestBackend, PUBLIC_BASE_URL, type TestBackend } from '../../test/support/backend/test-backend.js';
import { twilioSignature } from '../twilio/request-signature.js';

let t: TestBackend;
beforeAll(async () => {
  t = await createTestBackend();
});
afterAll(() => t.close());

const ledgerRows = async (callId: string) =>
  (await t.db.query<{ n: number }>('select count(*)::int as n from call_events where call_id = $1', [callId])).rows[0]!.n;

async function end(callId: string, parent: string) {
  const res = await t.twilio(`/api/twilio/outbound-status?callId=${callId}`, { CallSid: parent, DialCallSid: callSid(), DialCallStatus: 'completed', DialCallDuration: '5' });
  expect(res.status).toBe(200);
}

describe('re-split replays of a signed callback', () => {
  it('records a "completed" callback once, whatever field boundaries the same signature is replayed with', async () => {
    const placed = await t.placeCall(t.agents.alice, '+14155550400');
    const child = callSid();
    const path = `/api/twilio/outbound-events?callId=${placed.callId}`;
    const genuine = {
      AccountSid: t.deps.creds.accountSid,
      CallDuration: '42',
      CallSid: child,
      CallStatus: 'completed',
      CallbackSource: 'call-progress-events',
      ParentCallSid: placed.callSid,
      SequenceNumber: '3',
      Timestamp: 'Tue, 24 Nov 2026 12:01:00 +0000',
    };
    const signature = twilioSignature(t.deps.creds.authToken, `${PUBLIC_BASE_URL}${path}`, genuine);
    expect((await t.twilio(path, genuine)).status).toBe(204);
    expect(await ledgerRows(placed.callId!)).toBe(1);

    const { SequenceNumber: _s, ParentCallSid: _p, CallbackSource: _c, ...rest } = genuine;
    const { Timestamp: _t, ...withoutTimestamp } = rest;
    const resplits: Array<{ form: Record<string, string>; status: number }> = [
      // The sequence number moved into the parent's SID: a malformed SID, refused.
      { form: { ...rest, CallbackSource: 'call-progress-events', ParentCallSid: `${placed.callSid}SequenceNumber3` }, status: 400 },
      // The parent's SID moved into CallbackSource: every remaining field is well formed; accepted, but the same event.
      { form: { ...rest, CallbackSource: `call-progress-eventsParentCallSid${placed.callSid}`, SequenceNumber: '3' }, status: 204 },
      // The timestamp moved into the sequence number: SequenceNumber is not a number, refused.
      { form: { ...withoutTimestamp, CallbackSource: 'call-progress-events', ParentCallSid: placed.callSid, SequenceNumber: `3Timestamp${genuine.Timestamp}` }, status: 400 },
    ];
    for (const { form, status } of resplits) {
      // The same signature covers every one of them.
      expect(twilioSignature(t.deps.creds.authToken, `${PUBLIC_BASE_URL}${path}`, form)).toBe(signature);
      expect((await t.twilio(path, form, { signature })).status).toBe(status);
    }
    expect(await ledgerRows(placed.callId!)).toBe(1);
    await end(placed.callId!, placed.callSid);
  });

  it.each([
    ['CallSid', { CallSid: 'CAnot-a-sid' }],
    ['ParentCallSid', { ParentCallSid: 'CA' + '0'.repeat(31) + 'Z' }],
  ])('refuses a status callback whose %s is not a call SID', async (_field, bad) => {
    const placed = await t.placeCall(t.agents.bob, '+14155550401');
    const res = await t.twilio(`/api/twilio/outbound-events?callId=${placed.callId}`, {
      CallSid: callSid(), ParentCallSid: placed.callSid, CallStatus: 'ringing', SequenceNumber: '1', ...bad,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid-call-sid');
    expect(await ledgerRows(placed.callId!)).toBe(0);
    await end(placed.callId!, placed.callSid);
  });

  it('refuses a <Dial action> whose CallSid or DialCallSid is not a call SID', async () => {
    const placed = await t.placeCall(t.agents.eve, '+14155550402');
    for (const form of [
      { CallSid: `${placed.callSid}x`, DialCallSid: callSid(), DialCallStatus: 'completed' },
      { CallSid: placed.callSid, DialCallSid: 'CA123', DialCallStatus: 'completed' },
    ]) {
      const res = await t.twilio(`/api/twilio/outbound-status?callId=${placed.callId}`, form);
      expect(res.status).toBe(400);
    }
    expect(await ledgerRows(placed.callId!)).toBe(0);
    await end(placed.callId!, placed.callSid);
  });
});
