// Stored free text cannot spoof what it shows (no direction overrides or invisible characters), and a crafted history
// cursor is a 400 with a sentence, not a database error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSid, createTestBackend, type TestBackend } from '../../test/support/backend/test-backend.js';

let t: TestBackend;
let alice: string;
beforeAll(async () => {
  t = await createTestBackend();
  alice = await t.login('alice@acme.test');
});
afterAll(() => t.close());

describe('free text from a page', () => {
  it.each([
    ['a right-to-left override', 'Invoice \u202Efdp.exe', 'Invoice fdp.exe'],
    ['direction isolates and marks', '\u2067Acme\u2069 \u200FLtd\u200E', 'Acme Ltd'],
    ['zero-width spaces inside a name', 'Pa\u200Bypal', 'Paypal'],
    ['a byte-order mark and word joiners', '\uFEFFBob\u2060 Baker', 'Bob Baker'],
    ['only invisible characters', '\u200B\u200D\uFEFF', null],
  ])('strips %s from contact names and page titles', async (_what, sent, stored) => {
    const placed = await t.placeCall(t.agents.alice, '+14155550500', { contactName: sent, pageTitle: sent });
    const call = (await t.deps.store.getCall(placed.callId!))!;
    expect(call.contactName).toBe(stored);
    expect(call.pageTitle).toBe(stored);
    await t.twilio(`/api/twilio/outbound-status?callId=${placed.callId}`, { CallSid: placed.callSid, DialCallSid: callSid(), DialCallStatus: 'completed' });
  });

  it('keeps the joiners emoji sequences and scripts need', async () => {
    const placed = await t.placeCall(t.agents.alice, '+14155550501', { contactName: 'Family 👩‍👩‍👧 می‌خواهم' });
    expect((await t.deps.store.getCall(placed.callId!))!.contactName).toBe('Family 👩‍👩‍👧 می‌خواهم');
    await t.twilio(`/api/twilio/outbound-status?callId=${placed.callId}`, { CallSid: placed.callSid, DialCallSid: callSid(), DialCallStatus: 'completed' });
  });
});

describe('history cursors', () => {
  const cursor = (text: string) => Buffer.from(text).toString('base64url');
  it.each([
    ['a day February does not have', cursor('2026-02-30T00:00:00+00:00|00000000-0000-4000-8000-000000000000')],
    ['a bare number as the time', cursor('1|00000000-0000-4000-8000-000000000000')],
    ['a time PostgreSQL would read differently', cursor('Tue Nov 24 2026|00000000-0000-4000-8000-000000000000')],
    ['an extra field', cursor('2026-11-24T12:00:00+00:00|00000000-0000-4000-8000-000000000000|x')],
    ['a year before the first call', cursor('0001-01-01T00:00:00Z|00000000-0000-4000-8000-000000000000')],
  ])('answers a cursor with %s with 400 and a sentence', async (_what, value) => {
    const res = await t.app.request(`/api/calls?cursor=${value}`, { headers: { authorization: `Bearer ${alice}` } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'invalid-cursor', message: 'cursor is not one this server gave out. Start again without it.' } });
  });

  it('still pages with the cursors it gives out', async () => {
    const first = await t.app.request('/api/calls?limit=1', { headers: { authorization: `Bearer ${alice}` } });
    const { nextCursor } = (await first.json()) as { nextCursor: string };
    expect(nextCursor).toBeTruthy();
    const next = await t.app.request(`/api/calls?limit=1&cursor=${nextCursor}`, { headers: { authorization: `Bearer ${alice}` } });
    expect(next.status).toBe(200);
  });
});
