// The worker's wrap-up of the just-ended call, against the real backend app: offered once, pre-selected from the
// result, saved only for that call, and the "wrap up first" hold before the next dial.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WRAP_UP_REQUIRED_MESSAGE } from '../../shared/api.js';
import type { LiveCall } from '../protocol/softphone.js';
import { callSid, createTestBackend, type TestBackend } from '../../test/support/backend/test-backend.js';
import { createWrapUpOffers, preselectOutcome, type WrapUpRecord } from './wrap-up-offer.js';

let t: TestBackend;
let token: string;
beforeAll(async () => {
  t = await createTestBackend();
  token = await t.login('alice@acme.test');
});
afterAll(() => t.close());

function offers() {
  let stored: WrapUpRecord | null = null;
  const deps = {
    read: async () => stored,
    write: async (r: WrapUpRecord) => void (stored = r),
    getAuth: async () => ({ backendUrl: 'http://backend.test', accessToken: token }),
    fetchImpl: ((url: string, init: RequestInit) => t.app.request(new URL(url).pathname + new URL(url).search, init)) as unknown as typeof fetch,
  };
  return { wrapUps: createWrapUpOffers(deps), stored: () => stored };
}

async function endedCall(status: 'busy' | 'completed'): Promise<LiveCall> {
  const placed = await t.placeCall(t.agents.alice, '+14155550123');
  await t.twilio(`/api/twilio/outbound-status?callId=${placed.callId}`, { CallSid: placed.callSid, DialCallSid: callSid(), DialCallStatus: status });
  return {
    id: 'local-1', callSid: placed.callSid, to: '+14155550123', contactName: null, pageUrl: null, pageTitle: null, phase: 'ended', status,
    startedAt: 0, answeredAt: null, endedAt: 1, muted: false, warnings: [], error: null,
  };
}

describe('preselectOutcome', () => {
  it('picks the outcome whose statuses hold the result, or none', () => {
    const outcomes = [{ id: 'a', matchesStatuses: ['completed'] }, { id: 'b', matchesStatuses: ['busy'] }];
    expect(preselectOutcome(outcomes, 'busy')).toBe('b');
    expect(preselectOutcome(outcomes, 'failed')).toBeNull();
    expect(preselectOutcome(outcomes, null)).toBeNull();
  });
});

describe('the wrap-up of the just-ended call', () => {
  it('is offered with the result\'s outcome selected and saved for that call only', async () => {
    const { wrapUps } = offers();
    const call = await endedCall('busy');
    expect(await wrapUps.offerFor({ ...call, phase: 'open' })).toBeNull();
    const view = await wrapUps.offerFor(call);
    expect(view).toMatchObject({ state: 'open', error: null });
    expect(view!.outcomes.find((o) => o.id === view!.selected)?.label).toBe('Busy');

    // An outcome that was not offered is refused before the backend.
    expect(await wrapUps.save(call, { outcomeId: '00000000-0000-4000-8000-000000000001', notes: '', followUpOn: null })).toMatchObject({ ok: false, error: 'Choose one of the outcomes offered.' });
    // Another call than the softphone's ended one cannot be meant.
    expect(await wrapUps.save({ ...call, callSid: callSid() }, { outcomeId: view!.selected!, notes: '', followUpOn: null })).toMatchObject({ ok: false });
    expect(await wrapUps.save(call, { outcomeId: view!.selected!, notes: 'Try after lunch', followUpOn: '2026-12-03' })).toEqual({ ok: true });
    expect(await wrapUps.offerFor(call)).toMatchObject({ state: 'saved' });
    const saved = await t.db.query<{ notes: string }>('select w.notes from public.call_wrapups w join public.calls c on c.id = w.call_id where c.twilio_call_sid = $1', [call.callSid]);
    expect(saved.rows).toEqual([{ notes: 'Try after lunch' }]);
    // Saved once: a second save from the page changes nothing.
    expect(await wrapUps.save(call, { outcomeId: view!.selected!, notes: 'Page wrote this', followUpOn: null })).toMatchObject({ ok: false });
  });

  it('holds the next dial while the organization requires a wrap-up, until the call has one', async () => {
    await t.db.query(`update public.organizations set wrapup_required = true where id = $1`, [t.agents.alice.organizationId]);
    const { wrapUps } = offers();
    const call = await endedCall('completed');
    const view = await wrapUps.offerFor(call);
    expect(view).toMatchObject({ state: 'open', required: true });
    await wrapUps.skip(call);
    expect(await wrapUps.offerFor(call)).toBeNull();
    expect(await wrapUps.holdBeforeDial()).toBe(WRAP_UP_REQUIRED_MESSAGE);
    // Call next in the popup brings the left offer back (for that call only), then the agent leaves it again.
    await wrapUps.reopen({ ...call, callSid: callSid() });
    expect(await wrapUps.offerFor(call)).toBeNull();
    await wrapUps.reopen(call);
    expect(await wrapUps.offerFor(call)).toMatchObject({ state: 'open', required: true, selected: view!.selected });
    await wrapUps.skip(call);
    // Wrapped up from history meanwhile: the next dial goes.
    const id = (await t.db.query<{ id: string }>('select id from public.calls where twilio_call_sid = $1', [call.callSid])).rows[0]!.id;
    const res = await t.app.request('/api/wrapups', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ callId: id, outcomeId: view!.selected }),
    });
    expect(res.status).toBe(201);
    expect(await wrapUps.holdBeforeDial()).toBeNull();
    await t.db.query(`update public.organizations set wrapup_required = false where id = $1`, [t.agents.alice.organizationId]);
  });
});
