// The wrap-up methods behave the same on both stores: SQL (`select fn(...)`) and Supabase (rpc over HTTP), on PGlite and PostgreSQL 15.
import { describe, expect, it } from 'vitest';
import type { SqlClient } from '../db/sql-client.js';
import { createServiceClient } from '../supabase/service-client.js';
import { sqlDatabaseTargets } from '../../test/support/backend/database-targets.js';
import { startPostgrestRpcServer } from '../../test/support/backend/postgrest-rpc-server.js';
import { placeCall } from '../../test/support/backend/place-call.js';
import { projectKeys } from '../../test/support/backend/supabase-keys.js';
import { callSid } from '../../test/support/backend/test-backend.js';
import type { CallStore } from './call-store.js';
import { createSqlCallStore } from './sql-call-store.js';
import { createSupabaseCallStore } from './supabase-call-store.js';

async function scenario(store: CallStore, db: SqlClient) {
  const user = async (email: string) => (await db.query<{ id: string }>('insert into auth.users (email) values ($1) returning id', [email])).rows[0]!.id;
  const ann = await store.upsertAgent({ userId: await user('ann@initech.test'), email: 'ann@initech.test', displayName: 'Ann', organizationName: 'Initech' });
  const ben = await store.upsertAgent({ userId: await user('ben@initech.test'), email: 'ben@initech.test', displayName: 'Ben', organizationName: 'Initech' });
  const { outcomes, wrapUpRequired } = await store.listCallOutcomes(ann.organizationId, false);
  expect(wrapUpRequired).toBe(false);
  const busy = outcomes.find((o) => o.label === 'Busy')!;
  const sid = callSid();
  const { call } = await placeCall(store, ann, {
    twilioCallSid: sid, fromNumber: '+14155550100', toNumber: '+14155550000', createdAt: new Date('2026-12-01T10:00:00Z'),
  });
  await store.recordCallEvent({
    callId: call.id, callSid: sid, dialCallSid: null, sequenceNumber: null, source: 'dial-action', status: 'busy', occurredAt: new Date('2026-12-01T10:00:05Z'),
    duration: 0, errorCode: null, errorMessage: null, payload: {}, idempotencyKey: `test:${sid}`,
  });
  expect(await store.setWrapUpRequired(ann.organizationId, true)).toBe(true);
  expect((await store.pendingCallWrapUp(ann.id)).call?.id).toBe(call.id);
  const input = { callId: null, callSid: sid, outcomeId: busy.id, notes: 'Line busy', followUpOn: '2026-12-02', now: new Date('2026-12-01T10:01:00Z') };
  expect(await store.saveCallWrapUp({ ...input, agentId: ben.id })).toEqual({ ok: false, error: 'not-your-call' });
  const saved = await store.saveCallWrapUp({ ...input, agentId: ann.id });
  expect(saved).toMatchObject({ ok: true, created: true, wrapUp: { outcomeLabel: 'Busy', notes: 'Line busy', followUpOn: '2026-12-02', writtenByName: 'Ann' } });
  expect(await store.saveCallWrapUp({ ...input, agentId: ben.id })).toEqual({ ok: false, error: 'not-the-author' });
  expect(await store.pendingCallWrapUp(ann.id)).toEqual({ required: true, call: null });
  // Together (as concurrent Voice URL requests ask): one answer per agent, in order, an unknown agent requiring nothing.
  const together = await Promise.all([ann.id, ben.id, '00000000-0000-4000-8000-00000000dead'].map((id) => store.pendingCallWrapUp(id)));
  expect(together).toEqual([{ required: true, call: null }, { required: true, call: null }, { required: false, call: null }]);
  expect((await store.listCallWrapUps(ann.organizationId, [call.id])).map((w) => w.notes)).toEqual(['Line busy']);
  // A call result pre-selects one active outcome at most: 'no-answer' is No answer's until taken off it.
  const noAnswer = outcomes.find((o) => o.label === 'No answer')!;
  expect(await store.addCallOutcome(ann.organizationId, { label: 'Gatekeeper', matchesStatuses: ['no-answer'] })).toEqual({ error: 'status-taken', status: 'no-answer', label: 'No answer' });
  expect(await store.updateCallOutcome(ann.organizationId, busy.id, { matchesStatuses: ['busy', 'canceled'] })).toEqual({ error: 'status-taken', status: 'canceled', label: 'No answer' });
  expect(await store.updateCallOutcome(ann.organizationId, noAnswer.id, { matchesStatuses: ['canceled'] })).toMatchObject({ outcome: { matchesStatuses: ['canceled'] } });
  const added = await store.addCallOutcome(ann.organizationId, { label: 'Gatekeeper', matchesStatuses: ['no-answer'] });
  expect(added).toMatchObject({ outcome: { label: 'Gatekeeper', position: 80, archived: false, matchesStatuses: ['no-answer'] } });
  expect(await store.addCallOutcome(ann.organizationId, { label: 'Gatekeeper' })).toEqual({ error: 'duplicate-label' });
  const id = 'outcome' in added ? added.outcome.id : '';
  expect(await store.updateCallOutcome(ann.organizationId, id, { label: 'Busy' })).toEqual({ error: 'duplicate-label' });
  expect(await store.updateCallOutcome(ann.organizationId, id, { archived: true })).toMatchObject({ outcome: { archived: true } });
  // An archived outcome pre-selects nothing: its result can go back, and then the archived one cannot be restored with it.
  expect(await store.updateCallOutcome(ann.organizationId, noAnswer.id, { matchesStatuses: ['no-answer', 'canceled'] })).toMatchObject({ outcome: { matchesStatuses: ['no-answer', 'canceled'] } });
  expect(await store.updateCallOutcome(ann.organizationId, id, { archived: false })).toEqual({ error: 'status-taken', status: 'no-answer', label: 'No answer' });
  // Another organization's outcomes are not in the way, and the database itself holds only final results.
  const other = await store.upsertAgent({ userId: await user('olga@umbrella.test'), email: 'olga@umbrella.test', displayName: 'Olga', organizationName: 'Umbrella' });
  expect(await store.addCallOutcome(other.organizationId, { label: 'Gatekeeper', matchesStatuses: [] })).toMatchObject({ outcome: { label: 'Gatekeeper' } });
  await expect(db.query(`update public.call_outcomes set matches_statuses = '{ringing}' where id = $1`, [id])).rejects.toThrow(/call_outcomes_matches_final_results/);
  expect((await store.listCallOutcomes(ann.organizationId, true)).outcomes).toHaveLength(8);
  const exported = await store.exportCalls(ann.organizationId, { from: null, to: null, agentId: ann.id, outcomeId: busy.id }, 10, null);
  expect(exported.calls.map((c) => [c.id, c.wrapUp?.notes])).toEqual([[call.id, 'Line busy']]);
}

describe.each(sqlDatabaseTargets())('wrap-up store methods on $name', (target) => {
  it.skipIf(target.skip)('the SQL store', async () => {
    const { db } = await target.open();
    try {
      await scenario(createSqlCallStore(db), db);
    } finally {
      await db.close();
    }
  }, 60_000);

  it.skipIf(target.skip)('the Supabase store', async () => {
    const { db } = await target.open();
    const keys = await projectKeys();
    const rpc = await startPostgrestRpcServer({ db, jwtSecret: keys.jwtSecret });
    try {
      await scenario(createSupabaseCallStore(createServiceClient(rpc.url, keys.serviceRoleKey)), db);
    } finally {
      await rpc.close();
      await db.close();
    }
  }, 60_000);
});
