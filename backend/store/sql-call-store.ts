// The CallStore over a direct SQL connection (embedded PGlite or a PostgreSQL server): `select fn(...)` per operation.
import type { SqlClient } from '../db/sql-client.js';
import { agentFromRow, callFromRow, eventResult, placeRequestJson, placeResult, presenceFromRow, roleChangeFromRow } from './call-row.js';
import type { AgentRole, CallEventRecord, CallStore, OutboundCallRequest } from './call-store.js';
import { sqlInboundStore } from './inbound-store.js';
import { callWithWrapUpFromRow, outcomeResult, outcomesFromRow, pendingFromRow, saveResultFromRow, wrapUpFromRow } from './wrap-up-row.js';

type Row = Record<string, unknown>;

type BatchSettings = false | { maxBatch?: number; maxInFlight?: number };

export interface SqlCallStoreOptions {
  /**
   * Micro-batching of the webhooks' operations (recordCallEvent, placeOutboundCall, getAgent): the calls that arrive
   * together (in the same macrotask, or while the operation's previous batch is still in the database) go to the
   * database in one statement — record_call_events applies each item exactly as record_call_event does,
   * place_outbound_calls each request in its own subtransaction — and each caller is answered only once the whole
   * batch has committed.
   * `false` sends every call on its own.
   */
  batching?: BatchSettings;
}

/** Events per database call, and database calls under way at once (PGlite runs one at a time anyway). */
const DEFAULT_MAX_BATCH = 64;
const DEFAULT_MAX_IN_FLIGHT = 1;

function eventParams(e: CallEventRecord): unknown[] {
  return [
    e.callId, e.callSid, e.dialCallSid, e.sequenceNumber, e.source, e.status, e.occurredAt.toISOString(),
    e.duration, e.errorCode, e.errorMessage, JSON.stringify(e.payload), e.idempotencyKey,
  ];
}

function eventJson(e: CallEventRecord): Row {
  return {
    call_id: e.callId, call_sid: e.callSid, dial_call_sid: e.dialCallSid, sequence_number: e.sequenceNumber, source: e.source,
    status: e.status, occurred_at: e.occurredAt.toISOString(), duration: e.duration, error_code: e.errorCode,
    error_message: e.errorMessage, payload: e.payload, idempotency_key: e.idempotencyKey,
  };
}

/** One item of a batch failed inside the database (the others were applied): the same failure a lone call would have. */
export class BatchItemError extends Error {
  override name = 'BatchItemError';
  constructor(message: string, readonly sqlstate: string | undefined) {
    super(message);
  }
}

type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

interface Pending<I, O> {
  input: I;
  resolve(result: O): void;
  reject(error: unknown): void;
}

/**
 * Coalesces concurrent calls of one store operation into one database call (see SqlCallStoreOptions.batching):
 * queued at once, sent at the end of the current macrotask, or as soon as the previous batch of the operation is back.
 * A batch of one goes through `runOne`, as without batching. When `runMany` fails as a whole (nothing of it committed),
 * each input is run on its own, so that one bad input cannot fail the others.
 */
function batcher<I, O>(
  runOne: (input: I) => Promise<O>,
  runMany: (inputs: I[]) => Promise<Array<Outcome<O>>>,
  maxBatch: number,
  maxInFlight: number,
): (input: I) => Promise<O> {
  let queue: Array<Pending<I, O>> = [];
  let scheduled = false;
  let inFlight = 0;

  /**
   * Runs one batch. `release` frees its slot as soon as the database has answered, before the batch's callers are:
   * their continuations (building and writing the responses) would otherwise keep the next batch, already waiting,
   * from reaching the database.
   */
  async function run(batch: Array<Pending<I, O>>, release: () => void): Promise<void> {
    if (batch.length === 1) {
      const [only] = batch as [Pending<I, O>];
      const outcome = await runOne(only.input).then((value): Outcome<O> => ({ ok: true, value }), (error: unknown): Outcome<O> => ({ ok: false, error }));
      release();
      settle(only, outcome);
      return;
    }
    let outcomes: Array<Outcome<O>>;
    try {
      outcomes = await runMany(batch.map((p) => p.input));
      if (outcomes.length !== batch.length) throw new Error('The batch did not return one result per input');
    } catch {
      await Promise.all(batch.map((p) => runOne(p.input).then(p.resolve, p.reject)));
      release();
      return;
    }
    release();
    batch.forEach((p, i) => settle(p, outcomes[i]!));
  }

  function settle(p: Pending<I, O>, o: Outcome<O>): void {
    if (o.ok) p.resolve(o.value);
    else p.reject(o.error);
  }

  function pump(): void {
    while (queue.length > 0 && inFlight < maxInFlight) {
      const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
      queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
      inFlight++;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        inFlight--;
        pump();
      };
      void run(batch, release).finally(release);
    }
  }

  return (input) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ input, resolve, reject });
      // Flush at the end of this macrotask, so the requests handled in the same I/O turn share a database call;
      // while a batch is in the database, the next one fills up behind it.
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          pump();
        });
      }
    });
}

/** Maps each row of a batch function's JSON array result: an {"error"} item fails that input only. */
function itemOutcomes<O>(result: unknown, fn: string, map: (row: Row | null) => O): Array<Outcome<O>> {
  if (!Array.isArray(result)) throw new Error(`${fn} did not return an array`);
  return (result as Array<Row | null>).map((row): Outcome<O> => {
    if (row && typeof row.error === 'string') return { ok: false, error: new BatchItemError(`${fn} failed: ${row.error}`, row.sqlstate as string | undefined) };
    try {
      return { ok: true, value: map(row) };
    } catch (error) {
      return { ok: false, error };
    }
  });
}

/** Each row of a statement that returns one row per input, in input order. */
function rowOutcomes<O>(rows: Array<{ r: Row | null }>, map: (row: Row | null) => O): Array<Outcome<O>> {
  return rows.map((x): Outcome<O> => {
    try {
      return { ok: true, value: map(x.r) };
    } catch (error) {
      return { ok: false, error };
    }
  });
}

async function one(db: SqlClient, sql: string, params: unknown[]): Promise<Row | null> {
  const { rows } = await db.query<{ r: Row | null }>(sql, params);
  return rows[0]?.r ?? null;
}

export function createSqlCallStore(db: SqlClient, options: SqlCallStoreOptions = {}): CallStore {
  const settings = options.batching ?? {};
  const batched = <I, O>(runOne: (input: I) => Promise<O>, runMany: (inputs: I[]) => Promise<Array<Outcome<O>>>) =>
    settings === false ? runOne : batcher(runOne, runMany, Math.max(1, settings.maxBatch ?? DEFAULT_MAX_BATCH), Math.max(1, settings.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT));

  const recordCallEvent = batched(
    async (e: CallEventRecord) => eventResult(await one(db, 'select public.record_call_event($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) as r', eventParams(e))),
    async (events) => itemOutcomes(await one(db, 'select public.record_call_events($1::jsonb) as r', [JSON.stringify(events.map(eventJson))]), 'record_call_event', eventResult),
  );
  const placeOutboundCall = batched(
    async (r: OutboundCallRequest) => {
      const [only] = itemOutcomes(await one(db, 'select public.place_outbound_calls_after_wrapup($1::jsonb) as r', [JSON.stringify([placeRequestJson(r)])]), 'place_outbound_calls', placeResult);
      if (!only) throw new Error('place_outbound_calls returned no result');
      if (!only.ok) throw only.error;
      return only.value;
    },
    async (requests) => itemOutcomes(await one(db, 'select public.place_outbound_calls_after_wrapup($1::jsonb) as r', [JSON.stringify(requests.map(placeRequestJson))]), 'place_outbound_calls', placeResult),
  );
  // Reads: one statement over the inputs, one row per input in order (a bad input fails the statement: each then runs alone).
  const getAgent = batched(
    async (agentId: string) => {
      const row = await one(db, 'select public.get_agent($1) as r', [agentId]);
      return row ? agentFromRow(row) : null;
    },
    async (ids) => {
      const { rows } = await db.query<{ r: Row | null }>('select public.get_agent(u.id) as r from unnest($1::uuid[]) with ordinality u(id, n) order by u.n', [ids]);
      return rowOutcomes(rows, (row) => (row ? agentFromRow(row) : null));
    },
  );
  // On the Voice URL's path, so batched as getAgent is: one statement for the calls that arrive together.
  const pendingCallWrapUp = batched(
    async (agentId: string) => pendingFromRow(await one(db, 'select public.pending_call_wrapup($1) as r', [agentId])),
    async (ids) => {
      const { rows } = await db.query<{ r: Row | null }>('select public.pending_call_wrapup(u.id) as r from unnest($1::uuid[]) with ordinality u(id, n) order by u.n', [ids]);
      return rowOutcomes(rows, pendingFromRow);
    },
  );
  return {
    ...sqlInboundStore(db),
    getAgent,

    async upsertAgent({ userId, email, displayName, organizationName }) {
      const row = await one(db, 'select public.upsert_agent($1, $2, $3, $4) as r', [userId, email, displayName, organizationName]);
      if (!row) throw new Error('upsert_agent returned nothing');
      return agentFromRow(row);
    },

    placeOutboundCall,

    recordCallEvent,

    async getCall(callId) {
      const row = await one(db, 'select public.get_call($1) as r', [callId]);
      return row ? callFromRow(row) : null;
    },

    async listCalls(organizationId, limit, before) {
      const { rows } = await db.query<{ r: Row }>('select r from public.list_calls($1, $2, $3, $4) as r', [
        organizationId, limit, before?.createdAt ?? null, before?.id ?? null,
      ]);
      return { calls: rows.map((x) => callFromRow(x.r)), rawCreatedAt: rows.map((x) => String(x.r.created_at)) };
    },

    async listAgentPresence(organizationId) {
      const { rows } = await db.query<Row>('select * from public.list_agent_presence($1)', [organizationId]);
      return rows.map(presenceFromRow);
    },

    async getAgentPresence(agentId) {
      const { rows } = await db.query<Row>('select * from public.get_agent_presence($1)', [agentId]);
      return rows[0] ? presenceFromRow(rows[0]) : null;
    },

    async setAgentPresence(agentId, presence, at) {
      const { rows } = await db.query<Row>('select * from public.set_agent_presence($1, $2, $3)', [agentId, presence, at?.toISOString() ?? null]);
      return rows[0] ? presenceFromRow(rows[0]) : null;
    },

    async noteAgentSeen(agentId, at) {
      const { rows } = await db.query<{ back: boolean | null }>('select public.note_agent_seen($1, $2) as back', [agentId, at?.toISOString() ?? null]);
      return rows[0]?.back === true;
    },

    async noteAgentGone(agentId) {
      await db.query('select public.note_agent_gone($1)', [agentId]);
    },

    async listStaleCalls(olderThan, limit) {
      const { rows } = await db.query<{ r: Row }>('select r from public.list_stale_calls($1, $2) as r', [olderThan.toISOString(), limit]);
      return rows.map((x) => callFromRow(x.r));
    },

    async getAgentRole(agentId) {
      const { rows } = await db.query<{ r: AgentRole | null }>('select public.get_agent_role($1) as r', [agentId]);
      return rows[0]?.r ?? null;
    },

    async findOrganization(name) {
      const row = await one(db, 'select public.find_organization($1) as r', [name]);
      return row ? { id: String(row.id), name: String(row.name) } : null;
    },

    async setAgentRole(organizationId, email, role) {
      const row = await one(db, 'select public.set_agent_role($1, $2, $3) as r', [organizationId, email, role]);
      return row ? roleChangeFromRow(row) : null;
    },

    // ---- Wrap-ups (issue 19) ----
    async listCallOutcomes(organizationId, includeArchived) {
      return outcomesFromRow(await one(db, 'select public.list_call_outcomes($1, $2) as r', [organizationId, includeArchived]));
    },

    async saveCallWrapUp(w) {
      return saveResultFromRow(await one(db, 'select public.save_call_wrapup($1, $2, $3, $4, $5, $6, $7) as r', [
        w.agentId, w.callId, w.callSid, w.outcomeId, w.notes, w.followUpOn, w.now.toISOString(),
      ]));
    },

    async listCallWrapUps(organizationId, callIds) {
      if (callIds.length === 0) return [];
      const { rows } = await db.query<{ r: Row }>('select r from public.list_call_wrapups($1, $2::jsonb) as r', [organizationId, JSON.stringify(callIds)]);
      return rows.map((x) => wrapUpFromRow(x.r));
    },

    pendingCallWrapUp,

    async addCallOutcome(organizationId, o) {
      return outcomeResult(await one(db, 'select public.add_call_outcome($1, $2, $3::jsonb, $4) as r', [organizationId, o.label, o.matchesStatuses ? JSON.stringify(o.matchesStatuses) : null, o.position ?? null]), ['duplicate-label'] as const);
    },

    async updateCallOutcome(organizationId, outcomeId, c) {
      return outcomeResult(
        await one(db, 'select public.update_call_outcome($1, $2, $3, $4::jsonb, $5, $6) as r', [organizationId, outcomeId, c.label ?? null, c.matchesStatuses ? JSON.stringify(c.matchesStatuses) : null, c.position ?? null, c.archived ?? null]),
        ['no-such-outcome', 'duplicate-label'] as const,
      );
    },

    async setWrapUpRequired(organizationId, required) {
      const { rows } = await db.query<{ r: boolean | null }>('select public.set_wrapup_required($1, $2) as r', [organizationId, required]);
      return rows[0]?.r === true;
    },

    async exportCalls(organizationId, f, limit, before) {
      const { rows } = await db.query<{ r: Row }>('select r from public.export_calls($1, $2, $3, $4, $5, $6, $7, $8) as r', [
        organizationId, f.from?.toISOString() ?? null, f.to?.toISOString() ?? null, f.agentId, f.outcomeId, limit, before?.createdAt ?? null, before?.id ?? null,
      ]);
      return { calls: rows.map((x) => callWithWrapUpFromRow(x.r)), rawCreatedAt: rows.map((x) => String(x.r.created_at)) };
    },

    close: () => db.close(),
  };
}
