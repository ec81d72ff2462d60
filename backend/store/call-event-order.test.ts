// Callbacks in any order, and twice: every order of a full answered call's events with duplicates (5,040 orders, of
// which 1,260 differ: a retried callback is the same callback), recorded by the database's own function, ends in the
// same call row (on PGlite and PostgreSQL 15).
import { describe, expect, it } from 'vitest';
import type { CallStatus } from '../../shared/call-status.js';
import { addEmbeddedAgent } from '../auth/embedded-auth.js';
import { sqlDatabaseTargets } from '../../test/support/backend/database-targets.js';
import type { CallEventRecord } from './call-store.js';
import { createSqlCallStore } from './sql-call-store.js';

const t = (s: number) => new Date(Date.UTC(2026, 10, 24, 12, 0, s));

/** A full answered call as Twilio reports it: progress callbacks and the <Dial action>, each with its idempotency key. */
const answered: Array<{ key: string; source: CallEventRecord['source']; status: CallStatus; at: Date; duration: number | null; seq: number | null }> = [
  { key: 'initiated', source: 'call-progress-events', status: 'initiated', at: t(0), duration: null, seq: 0 },
  { key: 'ringing', source: 'call-progress-events', status: 'ringing', at: t(1), duration: null, seq: 1 },
  { key: 'answered', source: 'call-progress-events', status: 'in-progress', at: t(3), duration: null, seq: 2 },
  { key: 'completed', source: 'call-progress-events', status: 'completed', at: t(45), duration: 42, seq: 3 },
  { key: 'dial-action', source: 'dial-action', status: 'completed', at: t(46), duration: 42, seq: null },
];
// Twilio retries a callback it got no answer to: the same callback (same key) again.
const withDuplicates = [...answered, answered[2]!, answered[1]!];

function* permutations<T>(items: T[]): Generator<T[]> {
  if (items.length <= 1) return yield items.slice();
  for (let i = 0; i < items.length; i++) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const p of permutations(rest)) yield [items[i]!, ...p];
  }
}

describe.each(sqlDatabaseTargets())('the ledger on $name', (target) => {
  it.skipIf(target.skip)('ends every order of a full sequence with duplicates in the same state', async () => {
    const { db } = await target.open();
    try {
      const store = createSqlCallStore(db);
      const agent = await addEmbeddedAgent(db, store, { email: 'orders@acme.test', password: 'orders-password-1', organizationName: 'Acme' });
      const all = [...permutations(withDuplicates.map((_, i) => i))];
      expect(all).toHaveLength(5040);
      // Swapping a callback with its own retry gives the same input: each distinct sequence once.
      const distinct = new Map(all.map((order) => [order.map((i) => withDuplicates[i]!.key).join(','), order]));
      const orders = [...distinct.values()];
      expect(orders).toHaveLength(1260);

      // Each order on its own call, all created at once; then the events of many calls per database call, through
      // record_call_events (which applies each exactly as record_call_event does), each call's events in its order.
      const sidOf = (n: number) => `CA${n.toString(16).padStart(32, '0')}`;
      const { rows: created } = await db.query<{ id: string; sid: string }>(
        `insert into public.calls (organization_id, direction, status, from_number, to_number, assigned_to, twilio_call_sid, created_at)
         select $1, 'outbound', 'initiated', 'client:agent', '+14155550100', $2, 'CA' || lpad(to_hex(n), 32, '0'), $3
         from generate_series(0, $4::int - 1) n
         returning id, twilio_call_sid as sid`,
        [agent.organizationId, agent.id, t(0).toISOString(), orders.length],
      );
      const idOf = new Map(created.map((r) => [r.sid, r.id]));
      const PER_BATCH = 240;
      for (let from = 0; from < orders.length; from += PER_BATCH) {
        const events = orders.slice(from, from + PER_BATCH).flatMap((order, k) => {
          const sid = sidOf(from + k);
          return order.map((i) => {
            const e = withDuplicates[i]!;
            return {
              call_id: idOf.get(sid), call_sid: sid, dial_call_sid: null, sequence_number: e.seq, source: e.source, status: e.status,
              occurred_at: e.at.toISOString(), duration: e.duration, error_code: null, error_message: null, payload: {}, idempotency_key: `${sid}:${e.key}`,
            };
          });
        });
        const { rows } = await db.query<{ r: Array<{ error?: string }> }>('select public.record_call_events($1::jsonb) as r', [JSON.stringify(events)]);
        expect(rows[0]!.r.filter((x) => x.error)).toEqual([]);
      }
      const { rows: finals } = await db.query<{ sid: string; status: string; answered_at: Date | null; ended_at: Date | null; duration: number | null }>(
        'select twilio_call_sid as sid, status, answered_at, ended_at, duration from public.calls where organization_id = $1',
        [agent.organizationId],
      );
      const bySid = new Map(finals.map((f) => [f.sid, f]));
      const results = orders.map((_, n) => {
        const f = bySid.get(sidOf(n))!;
        return { status: f.status, answeredAt: f.answered_at && new Date(f.answered_at).getTime(), endedAt: f.ended_at && new Date(f.ended_at).getTime(), duration: f.duration };
      });

      const expected = { status: 'completed', answeredAt: t(3).getTime(), endedAt: results[0]!.endedAt, duration: 42 };
      // In Twilio's own order the call ends when the last callback says it did.
      expect([t(45).getTime(), t(46).getTime()]).toContain(results[0]!.endedAt);
      const differing = results.map((r, n) => ({ r, n })).filter(({ r }) => JSON.stringify(r) !== JSON.stringify(expected));
      expect(differing.slice(0, 3).map(({ r, n }) => ({ order: orders[n]!.map((i) => withDuplicates[i]!.key), got: r }))).toEqual([]);
      // Every event once in the ledger, whatever the order and the retries.
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from public.call_events');
      expect(rows[0]!.n).toBe(orders.length * answered.length);
    } finally {
      await db.close();
    }
  }, 600_000);
});
