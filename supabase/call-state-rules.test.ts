// The call-state rules live once in SQL (call_is_open, call_is_final, call_status_rank): what they say, that no function,
// view or index writes the open statuses by hand any more, and that the open-call index still serves the queries that
// use call_is_open (on PGlite and PostgreSQL 15).
import { describe, expect, it } from 'vitest';
import { CALL_STATUSES, isTerminal } from '../shared/call-status.js';
import { addEmbeddedAgent } from '../backend/auth/embedded-auth.js';
import { createSqlCallStore } from '../backend/store/sql-call-store.js';
import { sqlDatabaseTargets } from '../test/support/backend/database-targets.js';

/** The open statuses as a hand-written list, as written in a function's source or deparsed in a view or index. */
const HAND_WRITTEN_OPEN_LIST = /'initiated'(::text)?\s*,\s*'ringing'(::text)?\s*,\s*'in-progress'/;
/** A plan step that reads the open-call index. */
const ON_OPEN_INDEX = /(Index|Index Only|Bitmap Index) Scan (using|on) calls_open_idx\b/;
/** A rank compared with a number: the rule "final from rank 40" written by hand. */
const MAGIC_RANK = /call_status_rank\([^)]*\)\s*(>=|<=|>|<)\s*\d/;

describe.each(sqlDatabaseTargets())('the call-state rules on $name', (target) => {
  it.skipIf(target.skip)('split every status into open or final, and rank every final status above every open one', async () => {
    const { db } = await target.open();
    try {
      const { rows } = await db.query<{ status: string; open: boolean | null; final: boolean; rank: number | null }>(
        `select s as status, public.call_is_open(s) as open, public.call_is_final(s) as final, public.call_status_rank(s) as rank
         from unnest($1::text[]) s`,
        [[...CALL_STATUSES, 'queued']],
      );
      const by = new Map(rows.map((r) => [r.status, r]));
      for (const status of CALL_STATUSES) {
        // The extension and the reconciler decide "ended" with isTerminal: the database must agree.
        expect({ status, open: by.get(status)!.open, final: by.get(status)!.final }).toEqual({ status, open: !isTerminal(status), final: isTerminal(status) });
      }
      // A word the database does not know is neither (Twilio's 'queued' is mapped to 'initiated' before it gets here).
      expect(by.get('queued')).toMatchObject({ open: false, final: false, rank: null });
      const openRanks = rows.filter((r) => r.open).map((r) => r.rank!);
      const finalRanks = rows.filter((r) => r.final).map((r) => r.rank!);
      expect(openRanks).toHaveLength(3);
      expect(finalRanks).toHaveLength(5);
      expect(Math.max(...openRanks)).toBeLessThan(Math.min(...finalRanks));
      // Among the final ones the most informative wins when two sources disagree: completed over busy over no-answer…
      const order = rows.filter((r) => r.rank !== null).sort((a, b) => a.rank! - b.rank!).map((r) => r.status);
      expect(order).toEqual(['initiated', 'ringing', 'in-progress', 'canceled', 'failed', 'no-answer', 'busy', 'completed']);
      const nothing = await db.query<{ open: boolean | null; final: boolean }>('select public.call_is_open(null) as open, public.call_is_final(null) as final');
      expect(nothing.rows[0]).toEqual({ open: null, final: false });
    } finally {
      await db.close();
    }
  });

  it.skipIf(target.skip)('names the open statuses in call_is_open alone: no function, view or index writes them or a rank number by hand', async () => {
    const { db } = await target.open();
    try {
      const { rows } = await db.query<{ object: string; definition: string }>(
        `select 'function ' || p.oid::regprocedure::text as object, pg_get_functiondef(p.oid) as definition
           from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' and p.prokind = 'f'
         union all
         select 'view ' || c.relname, pg_get_viewdef(c.oid)
           from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('v', 'm')
         union all
         select 'index ' || indexname, indexdef from pg_indexes where schemaname = 'public'
         union all
         select 'check ' || con.conname, pg_get_constraintdef(con.oid)
           from pg_constraint con join pg_namespace n on n.oid = con.connamespace where n.nspname = 'public' and con.contype = 'c'`,
      );
      expect(rows.length).toBeGreaterThan(50);
      expect(rows.filter((r) => HAND_WRITTEN_OPEN_LIST.test(r.definition)).map((r) => r.object)).toEqual(['function call_is_open(text)']);
      expect(rows.filter((r) => MAGIC_RANK.test(r.definition)).map((r) => r.object)).toEqual([]);
      // Nor any check: the final statuses are not listed by hand either, and every status only in call_status_rank.
      expect(rows.filter((r) => r.object.startsWith('check ') && /\bstatus/.test(r.definition) && /'(initiated|ringing|in-progress|completed|busy|no-answer|failed|canceled)'/.test(r.definition)).map((r) => r.object)).toEqual([]);
      // The scan reads what it should: the functions, the view and the index that use the rule say so by name.
      const users = rows.filter((r) => /call_is_open\(/.test(r.definition) && r.object !== 'function call_is_open(text)').map((r) => r.object).sort();
      expect(users).toEqual([
        'function call_is_final(text)',
        'function list_stale_calls(timestamp with time zone,integer)',
        'function pending_call_wrapup(uuid)',
        'function place_outbound_calls(jsonb)',
        'function receive_inbound_call(uuid,text,text,text,timestamp with time zone)',
        'function save_call_wrapup(uuid,uuid,text,uuid,text,date,timestamp with time zone)',
        'index calls_open_idx',
        'view agent_presence',
      ]);
      expect(rows.find((r) => r.object.startsWith('function record_call_event('))!.definition).toMatch(/call_is_final\(p_status\)/);
      // Only the Voice URL's batch creates outbound calls.
      expect(rows.filter((r) => r.object.startsWith('function create_outbound_call('))).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it.skipIf(target.skip)("refuses a call status the rules do not know, and an outcome that pre-selects a result that is not final", async () => {
    const { db } = await target.open();
    try {
      const store = createSqlCallStore(db, { batching: false });
      const agent = await addEmbeddedAgent(db, store, { email: 'checks@acme.test', password: 'checks-password-1', organizationName: 'Acme' });
      const insertCall = (status: string) =>
        db.query(`insert into public.calls (organization_id, direction, status, assigned_to, twilio_call_sid) values ($1, 'outbound', $2, $3, 'CA' || md5(random()::text))`, [agent.organizationId, status, agent.id]);
      for (const status of CALL_STATUSES) await insertCall(status);
      await expect(insertCall('queued')).rejects.toThrow(/calls_status_known/);
      const insertOutcome = (statuses: string[]) =>
        db.query(`insert into public.call_outcomes (organization_id, label, matches_statuses) values ($1, 'Outcome ' || md5(random()::text), $2::text[])`, [agent.organizationId, statuses]);
      await insertOutcome([]);
      await insertOutcome(['busy', 'no-answer']);
      await expect(insertOutcome(['completed', 'ringing'])).rejects.toThrow(/call_outcomes_matches_final_results/);
      await expect(insertOutcome(['answered'])).rejects.toThrow(/call_outcomes_matches_final_results/);
    } finally {
      await db.close();
    }
  });

  it.skipIf(target.skip)("finds an agent's open call on calls_open_idx whether a query says call_is_open(status) or lists the statuses", async () => {
    const { db } = await target.open({ max: 1 });
    try {
      const store = createSqlCallStore(db, { batching: false });
      const agent = await addEmbeddedAgent(db, store, { email: 'open@acme.test', password: 'open-password-1', organizationName: 'Acme' });
      await db.query(
        `insert into public.calls (organization_id, direction, status, assigned_to, twilio_call_sid, created_at)
         select $1, 'outbound', case when n = 0 then 'ringing' else 'completed' end, $2, 'CA' || lpad(to_hex(n), 32, '0'), now()
         from generate_series(0, 199) n`,
        [agent.organizationId, agent.id],
      );
      // The other indexes on assigned_to go, and sequential scans are priced out: a plan that reads calls_open_idx
      // is then proof that its predicate is implied by the query's, not just the cheapest of several.
      await db.exec('drop index public.calls_assigned_to_idx; drop index public.calls_assigned_created_idx; analyze public.calls');
      await db.exec('begin');
      try {
        await db.exec('set local enable_seqscan = off');
        const plan = async (where: string) =>
          (await db.query<{ 'QUERY PLAN': string }>(`explain select id from public.calls where assigned_to = '${agent.id}' and ${where}`)).rows
            .map((r) => r['QUERY PLAN'])
            .join('\n');
        expect(await plan('public.call_is_open(status)')).toMatch(ON_OPEN_INDEX);
        expect(await plan("status in ('initiated', 'ringing', 'in-progress')")).toMatch(ON_OPEN_INDEX);
        // A query the predicate does not cover cannot use the index (the check above can fail).
        expect(await plan("status in ('initiated', 'ringing', 'in-progress', 'completed')")).not.toMatch(/calls_open_idx/);
      } finally {
        await db.exec('rollback');
      }
      const open = await db.query<{ n: number }>('select count(*)::int as n from public.calls where assigned_to = $1 and public.call_is_open(status)', [agent.id]);
      expect(open.rows[0]!.n).toBe(1);
    } finally {
      await db.close();
    }
  });
});
