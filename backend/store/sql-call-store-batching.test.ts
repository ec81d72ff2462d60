// Micro-batching in the SQL call store: concurrent recordCallEvent calls share one database call and get exactly the
// results they would get one by one; one bad event fails alone. On the embedded database and PostgreSQL 15.
import { randomBytes } from 'node:crypto';
import type { Call } from '../../shared/api.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlClient } from '../db/sql-client.js';
import { sqlDatabaseTargets } from '../../test/support/backend/database-targets.js';
import { placeCall } from '../../test/support/backend/place-call.js';
import type { CallEventRecord, CallStore, OutboundCallRequest, PlaceOutboundResult, RecordEventResult, StoredAgent } from './call-store.js';
import { createSqlCallStore, BatchItemError } from './sql-call-store.js';

const sid = () => `CA${randomBytes(16).toString('hex')}`;
const T0 = new Date('2026-11-24T12:00:00.000Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

/** Passes every statement to the real database, counting those that mention `fn`. */
function counting(db: SqlClient) {
  const counts = new Map<string, number>();
  const client: SqlClient = {
    query(sql, params) {
      for (const fn of ['record_call_events', 'record_call_event(', 'place_outbound_calls', 'get_agent(u.id)']) if (sql.includes(fn)) counts.set(fn, (counts.get(fn) ?? 0) + 1);
      return db.query(sql, params);
    },
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
  };
  return { client, count: (fn: string) => counts.get(fn) ?? 0 };
}

/** What a caller sees of a result, without the ids that differ between two calls of the same script. */
function shape(r: RecordEventResult) {
  if (!r.found) return r;
  return { duplicate: r.duplicate, changed: r.changed, previousStatus: r.previousStatus, call: callShape(r.call) };
}
function callShape(call: Call | null) {
  if (!call) return call;
  const { id: _id, twilioCallSid: _sid, assignedTo: _a, agentName: _n, dialCallSid, ...rest } = call;
  return { ...rest, dialCallSid: dialCallSid?.slice(2) };
}

describe.each(sqlDatabaseTargets())('SQL call store batching on $name', (target) => {
  describe.skipIf(target.skip)('record_call_events', () => {
    let db: SqlClient;
    let counter: ReturnType<typeof counting>;
    let batched: CallStore;
    let single: CallStore;
    let agents: StoredAgent[];

    beforeAll(async () => {
      db = (await target.open()).db;
      counter = counting(db);
      batched = createSqlCallStore(counter.client);
      single = createSqlCallStore(db, { batching: false });
      agents = [];
      for (let i = 0; i < 12; i++) {
        const email = `batch-${i}-${randomBytes(3).toString('hex')}@x.test`;
        const { rows } = await db.query<{ id: string }>('insert into auth.users (email) values ($1) returning id', [email]);
        agents.push(await single.upsertAgent({ userId: rows[0]!.id, email, displayName: `Agent ${i}`, organizationName: 'Batching' }));
      }
    });
    afterAll(() => db?.close());

    const newCall = (store: CallStore, agent: StoredAgent) => placeCall(store, agent, { createdAt: T0 });

    /** Every callback of a call that ends `outcome`, repeated as Twilio's retries would be. */
    function script(callId: string, childSid: string, outcome: 'completed' | 'busy' | 'failed'): CallEventRecord[] {
      const steps: Array<[CallEventRecord['status'], number, number | null]> = [['initiated', 0, null], ['ringing', 1, null]];
      if (outcome === 'completed') steps.push(['in-progress', 3, null]);
      steps.push([outcome, 40, outcome === 'completed' ? 37 : 0]);
      const events = steps.map(([status, s, duration], seq): CallEventRecord => ({
        callId, callSid: childSid, dialCallSid: childSid, sequenceNumber: seq, source: 'call-progress-events', status, occurredAt: at(s),
        duration, errorCode: outcome === 'failed' && status === 'failed' ? '31005' : null, errorMessage: null, payload: { CallStatus: status, Note: 'ü "q" \\' },
        idempotencyKey: `events:${childSid}:${seq}:${status}`,
      }));
      events.push({ ...events[events.length - 1]!, source: 'dial-action', sequenceNumber: null, occurredAt: at(41), idempotencyKey: `dial:${childSid}:${outcome}` });
      return [events[2]!, events[0]!, events[3]!, events[2]!, ...events.slice(1), events[0]!, events[events.length - 1]!];
    }

    it('sends concurrent events in one database call and answers each as one-by-one calls would, in every order', async () => {
      const outcomes = ['completed', 'busy', 'failed'] as const;
      const plans = [];
      for (let i = 0; i < 6; i++) {
        const a = (await newCall(single, agents[i]!)).call;
        const b = (await newCall(single, agents[i + 6]!)).call;
        const child = sid();
        const outcome = outcomes[i % 3]!;
        plans.push({ a, b, eventsA: script(a.id, child, outcome), eventsB: script(b.id, child.replace('CA', 'CB'), outcome) });
      }
      // One interleaved stream for the batched store; the same per-call sequences one by one on the other calls.
      const stream = plans.flatMap((p) => p.eventsA.map((e, i) => ({ e, i, p })));
      stream.sort((x, y) => x.i - y.i);
      const before = counter.count('record_call_events');
      const batchedResults = await Promise.all(stream.map(({ e }) => batched.recordCallEvent(e)));
      expect(counter.count('record_call_events') - before).toBeLessThanOrEqual(Math.ceil(stream.length / 64) + 1);
      expect(counter.count('record_call_event(')).toBe(0);

      for (const p of plans) {
        const got = stream.map((s, k) => ({ s, r: batchedResults[k]! })).filter(({ s }) => s.p === p).map(({ r }) => shape(r));
        const expected = [];
        for (const e of p.eventsB) expected.push(shape(await single.recordCallEvent(e)));
        expect(got).toEqual(expected);
        expect(callShape(await single.getCall(p.a.id))).toEqual(callShape(await single.getCall(p.b.id)));
        const ledger = async (callId: string) =>
          (await db.query<{ status: string; source: string }>('select status, source from public.call_events where call_id = $1 order by id', [callId])).rows;
        expect(await ledger(p.a.id)).toEqual(await ledger(p.b.id));
      }
    });

    it('fails only the bad event of a batch; the others are applied and the bad one leaves nothing behind', async () => {
      const call = (await newCall(single, agents[0]!)).call;
      const other = (await newCall(single, agents[1]!)).call;
      const ev = (callId: string, status: CallEventRecord['status'], key: string, duration: number | null = null): CallEventRecord => ({
        callId, callSid: null, dialCallSid: null, sequenceNumber: null, source: 'call-progress-events', status, occurredAt: at(5), duration,
        errorCode: null, errorMessage: null, payload: {}, idempotencyKey: key,
      });
      const tag = randomBytes(4).toString('hex');
      const before = counter.count('record_call_events');
      const results = await Promise.allSettled([
        batched.recordCallEvent(ev(call.id, 'ringing', `${tag}-1`)),
        // A negative duration breaks the calls table's check: this event fails, alone.
        batched.recordCallEvent(ev(other.id, 'completed', `${tag}-bad`, -5)),
        batched.recordCallEvent(ev('not-a-uuid', 'ringing', `${tag}-worse`)),
        batched.recordCallEvent(ev(other.id, 'ringing', `${tag}-2`)),
        batched.recordCallEvent(ev(call.id, 'in-progress', `${tag}-3`)),
      ]);
      expect(counter.count('record_call_events') - before).toBe(1);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled']);
      expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(BatchItemError);
      expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ sqlstate: '23514' });
      expect((results[4] as PromiseFulfilledResult<RecordEventResult>).value).toMatchObject({ found: true, changed: true, previousStatus: 'ringing', call: { status: 'in-progress' } });
      expect(await single.getCall(other.id)).toMatchObject({ status: 'ringing', duration: null, endedAt: null });
      const { rows } = await db.query<{ key: string }>('select idempotency_key as key from public.call_events where idempotency_key like $1 order by id', [`${tag}-%`]);
      expect(rows.map((r) => r.key)).toEqual([`${tag}-1`, `${tag}-2`, `${tag}-3`]);
    });

    it('places concurrent Voice URL calls in one database call: unknown agent, one open call per agent, the rate limit, a retried CallSid gets its first call', async () => {
      const [x, y] = [agents[3]!, agents[4]!];
      const email = `batch-fresh-${randomBytes(3).toString('hex')}@x.test`;
      const { rows: users } = await db.query<{ id: string }>('insert into auth.users (email) values ($1) returning id', [email]);
      const w = await single.upsertAgent({ userId: users[0]!.id, email, displayName: 'Fresh', organizationName: 'Batching' });
      const input = (agentId: string, twilioCallSid = sid(), rateLimit = { calls: 20, since: at(-300) }): OutboundCallRequest => ({
        agentId, twilioCallSid, fromNumber: '+15005550006', toNumber: '+14155550111', contactName: 'Ünï', pageUrl: null, pageTitle: null,
        refusal: null, rateLimit, limitMessages: { agentBusy: 'busy', rateLimited: 'limited' }, createdAt: at(100),
      });
      const retried = sid();
      const before = counter.count('place_outbound_calls');
      const results = await Promise.allSettled([
        batched.placeOutboundCall(input(x.id, retried)),
        batched.placeOutboundCall(input(x.id)),
        batched.placeOutboundCall(input(y.id)),
        batched.placeOutboundCall(input(x.id, retried)),
        batched.placeOutboundCall(input('00000000-0000-4000-8000-00000000dead')),
        batched.placeOutboundCall(input('not-a-uuid')),
        batched.placeOutboundCall(input(w.id, sid(), { calls: 0, since: at(-300) })),
      ]);
      expect(counter.count('place_outbound_calls') - before).toBe(1);
      const [first, busy, other, retry, unknown, bad, limited] = results;
      expect(first).toMatchObject({ status: 'fulfilled', value: { found: true, created: true, organizationId: x.organizationId, call: { status: 'initiated', assignedTo: x.id, agentName: x.displayName, contactName: 'Ünï' } } });
      expect(busy).toMatchObject({ status: 'fulfilled', value: { created: true, call: { status: 'failed', errorCode: 'agent-busy', errorMessage: 'busy' } } });
      expect(other).toMatchObject({ status: 'fulfilled', value: { created: true, call: { status: 'initiated', assignedTo: y.id } } });
      expect(retry).toEqual({ status: 'fulfilled', value: { ...(first as PromiseFulfilledResult<PlaceOutboundResult>).value, created: false } });
      expect(unknown).toEqual({ status: 'fulfilled', value: { found: false } });
      expect(bad).toMatchObject({ status: 'rejected', reason: expect.any(BatchItemError) });
      expect(limited).toMatchObject({ status: 'fulfilled', value: { created: true, call: { status: 'failed', errorCode: 'rate-limited', errorMessage: 'limited' } } });
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from public.calls where assigned_to = $1', [w.id]);
      expect(rows[0]!.n).toBe(1);
    });

    it('reads agents of concurrent requests in one statement, in order', async () => {
      const ids = agents.map((a) => a.id);
      const before = counter.count('get_agent(u.id)');
      const found = await Promise.all([...ids, '00000000-0000-0000-0000-000000000000'].map((id) => batched.getAgent(id)));
      expect(counter.count('get_agent(u.id)') - before).toBe(1);
      expect(found).toEqual([...agents, null]);
      // A malformed id fails the statement: each request then runs alone, and only the malformed one fails.
      const mixed = await Promise.allSettled([batched.getAgent(ids[0]!), batched.getAgent('nope'), batched.getAgent(ids[1]!)]);
      expect(mixed.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((mixed[2] as PromiseFulfilledResult<StoredAgent>).value).toEqual(agents[1]);
    });

    it('sends a lone event through record_call_event, as before', async () => {
      const call = (await newCall(single, agents[2]!)).call;
      const before = counter.count('record_call_event(');
      const r = await batched.recordCallEvent({
        callId: call.id, callSid: null, dialCallSid: null, sequenceNumber: null, source: 'reconciler', status: 'canceled', occurredAt: at(9),
        duration: null, errorCode: null, errorMessage: null, payload: {}, idempotencyKey: `lone-${call.id}`,
      });
      expect(r).toMatchObject({ found: true, changed: true, call: { status: 'canceled' } });
      expect(counter.count('record_call_event(') - before).toBe(1);
    });
  });
});

describe('SQL call store batching order', () => {
  it("hands the database its next batch before answering the batch it returned, so the callers' work never keeps it idle", async () => {
    const log: string[] = [];
    const pending: Array<(rows: unknown[]) => void> = [];
    const db: SqlClient = {
      query<T>(_sql: string, params: unknown[] = []) {
        const items = (JSON.parse(String(params[0])) as Array<{ idempotency_key: string }>).map((e) => e.idempotency_key);
        log.push(`database gets ${items.join('+')}`);
        return new Promise<{ rows: T[] }>((resolve) => {
          pending.push((r) => resolve({ rows: [{ r } as T] }));
        });
      },
      exec: async () => undefined,
      close: async () => undefined,
    };
    const store = createSqlCallStore(db);
    const event = (key: string): CallEventRecord => ({
      callId: '00000000-0000-4000-8000-000000000001', callSid: null, dialCallSid: null, sequenceNumber: null, source: 'reconciler', status: 'ringing',
      occurredAt: T0, duration: null, errorCode: null, errorMessage: null, payload: {}, idempotencyKey: key,
    });
    const row = {
      found: true, duplicate: false, changed: true, previous_status: 'initiated',
      call: { id: '00000000-0000-4000-8000-000000000001', organization_id: 'o', direction: 'outbound', status: 'ringing', created_at: T0.toISOString() },
    };
    const answered = (key: string) => (r: RecordEventResult) => log.push(`${key} answered (${r.found ? 'found' : 'not found'})`);

    const first = [store.recordCallEvent(event('a')).then(answered('a')), store.recordCallEvent(event('b')).then(answered('b'))];
    await new Promise((r) => setImmediate(r));
    const second = [store.recordCallEvent(event('c')).then(answered('c')), store.recordCallEvent(event('d')).then(answered('d'))];
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['database gets a+b']); // one batch at a time: c and d wait

    pending.shift()!([row, row]);
    await Promise.all(first);
    expect(log).toEqual(['database gets a+b', 'database gets c+d', 'a answered (found)', 'b answered (found)']);
    pending.shift()!([row, row]);
    await Promise.all(second);
    expect(log.slice(4)).toEqual(['c answered (found)', 'd answered (found)']);
  });
});
