// The reconciler closes calls whose final callback never arrived, from the telephony side's own status, so no agent stays "on call".
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../shared/api.js';
import { silentLogger } from '../logger.js';
import { createTwilioSimulator } from '../sim/twilio-simulator.js';
import { callSid, createTestBackend, PUBLIC_BASE_URL, type TestBackend } from '../../test/support/backend/test-backend.js';
import type { StoredAgent } from '../store/call-store.js';
import { createCallReconciler, type CallStatusReport, type CallStatusSource } from './call-reconciler.js';
import { simulatedCallStatusSource } from '../telephony/simulated-call-status.js';

const BOUND_SECONDS = 600;
let t: TestBackend;
/** What "Twilio" reports per call SID in these tests; a SID not in it makes the source fail. */
let reports: Map<string, CallStatusReport>;
const source: CallStatusSource = {
  fetchCallStatus: async (sid) => {
    const r = reports.get(sid);
    if (!r) throw new Error('Twilio could not be reached');
    return r;
  },
};

beforeAll(async () => {
  t = await createTestBackend();
});
afterAll(() => t.close());
beforeEach(() => {
  reports = new Map();
});

const reconciler = (s: CallStatusSource = source) =>
  createCallReconciler({ store: t.deps.store, live: t.deps.live, logger: silentLogger, clock: t.clock, source: s, reconcileAfterSeconds: BOUND_SECONDS });

async function answeredCall(agent: StoredAgent, to: string) {
  const placed = await t.placeCall(agent, to);
  const child = callSid();
  for (const [seq, status] of ['initiated', 'ringing', 'in-progress'].entries()) {
    await t.twilio(`/api/twilio/outbound-events?callId=${placed.callId}`, { CallSid: child, CallStatus: status, SequenceNumber: String(seq), Timestamp: t.clock.now().toUTCString() });
  }
  return placed;
}

async function presence(agent: StoredAgent) {
  return (await t.deps.store.listAgentPresence(agent.organizationId)).find((a) => a.id === agent.id)!;
}

async function ledger(callId: string) {
  const { rows } = await t.db.query<{ source: string; status: string }>('select source, status from call_events where call_id = $1 order by id', [callId]);
  return rows.map((r) => `${r.source}:${r.status}`);
}

describe('call reconciler', () => {
  it('closes a call whose final callback never came, after the bound, with the status and duration Twilio reports', async () => {
    const { callId, callSid: sid } = await answeredCall(t.agents.alice, '+14155550190');
    reports.set(sid, { status: 'completed', duration: 42 });
    expect(await presence(t.agents.alice)).toMatchObject({ status: 'on-call', currentCallId: callId });

    t.clock.advance((BOUND_SECONDS - 30) * 1000);
    expect(await reconciler().runOnce()).toMatchObject({ checked: 0, closed: [] });
    expect((await t.deps.store.getCall(callId!))!.status).toBe('in-progress');

    const events: LiveEvent[] = [];
    const unsubscribe = t.deps.live.subscribe(t.agents.alice.organizationId, (e) => events.push(e));
    t.clock.advance(60_000);
    expect(await reconciler().runOnce()).toMatchObject({ checked: 1, closed: [{ callId, status: 'completed' }], errors: 0 });
    unsubscribe();

    expect(await t.deps.store.getCall(callId!)).toMatchObject({ status: 'completed', duration: 42, endedAt: t.clock.now().toISOString(), errorMessage: null });
    expect(await ledger(callId!)).toEqual(['call-progress-events:initiated', 'call-progress-events:ringing', 'call-progress-events:in-progress', 'reconciler:completed']);
    // No longer on a call: back to what the agent is otherwise (never seen by the backend in this test, so offline).
    expect(await presence(t.agents.alice)).toMatchObject({ status: 'offline', currentCallId: null });
    expect(events).toEqual([
      { type: 'call', call: expect.objectContaining({ id: callId, status: 'completed' }) },
      { type: 'presence', agent: expect.objectContaining({ id: t.agents.alice.id, status: 'offline' }) },
    ]);

    // A second pass finds nothing; the ledger says it once.
    expect(await reconciler().runOnce()).toMatchObject({ checked: 0 });
    expect((await ledger(callId!)).filter((e) => e.startsWith('reconciler'))).toHaveLength(1);
  });

  it('leaves a long call that Twilio says is still in progress open, and checks it again later', async () => {
    const { callId, callSid: sid } = await answeredCall(t.agents.bob, '+14155550191');
    reports.set(sid, { status: 'in-progress' });
    t.clock.advance((BOUND_SECONDS + 1) * 1000);
    expect(await reconciler().runOnce()).toMatchObject({ checked: 1, closed: [], stillOpen: 1 });
    expect((await t.deps.store.getCall(callId!))!.status).toBe('in-progress');

    reports.set(sid, { status: 'completed', duration: 900 });
    expect(await reconciler().runOnce()).toMatchObject({ closed: [{ callId, status: 'completed' }] });
    expect((await t.deps.store.getCall(callId!))!.duration).toBe(900);
  });

  it('keeps a call open when Twilio cannot be asked, and closes it on a later pass', async () => {
    const { callId, callSid: sid } = await answeredCall(t.agents.eve, '+14155550192');
    t.clock.advance((BOUND_SECONDS + 1) * 1000);
    expect(await reconciler().runOnce()).toMatchObject({ checked: 1, closed: [], errors: 1 });
    expect((await t.deps.store.getCall(callId!))!.status).toBe('in-progress');
    reports.set(sid, { status: 'busy', duration: 0 });
    expect(await reconciler().runOnce()).toMatchObject({ closed: [{ callId, status: 'busy' }], errors: 0 });
  });

  it('closes a call the simulator no longer knows: failed if never answered, completed if answered, with the reason', async () => {
    const sim = createTwilioSimulator({ publicBaseUrl: PUBLIC_BASE_URL, creds: t.deps.creds, logger: silentLogger });
    const ringing = await t.placeCall(t.agents.bob, '+14155550193');
    t.clock.advance((BOUND_SECONDS + 1) * 1000);
    const answered = await answeredCall(t.agents.alice, '+14155550194');
    t.clock.advance((BOUND_SECONDS + 1) * 1000);

    const result = await reconciler(simulatedCallStatusSource(sim)).runOnce();
    expect(result.closed).toEqual(expect.arrayContaining([
      { callId: ringing.callId, status: 'failed' },
      { callId: answered.callId, status: 'completed' },
    ]));
    expect(await t.deps.store.getCall(ringing.callId!)).toMatchObject({
      status: 'failed',
      errorCode: 'reconciled',
      errorMessage: 'The call ended without its final status reaching the backend; it was closed by the reconciler.',
    });
    expect(await presence(t.agents.bob)).toMatchObject({ status: 'offline', currentCallId: null });
    expect(await presence(t.agents.alice)).toMatchObject({ status: 'offline', currentCallId: null });
  });

  it('runs on an unref’d timer until stopped', async () => {
    const { callId, callSid: sid } = await answeredCall(t.agents.eve, '+14155550195');
    reports.set(sid, { status: 'no-answer' });
    t.clock.advance((BOUND_SECONDS + 1) * 1000);
    const stop = reconciler().start(20);
    try {
      await expect.poll(async () => (await t.deps.store.getCall(callId!))!.status, { timeout: 3000 }).toBe('no-answer');
    } finally {
      stop();
    }
  });
});
