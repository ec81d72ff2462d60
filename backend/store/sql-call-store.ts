// The CallStore over a direct SQL connection (embedded PGlite or a PostgreSQL server): `select fn(...)` per operation.
import type { SqlClient } from '../db/sql-client.js';
import { agentFromRow, callFromRow, presenceFromRow } from './call-row.js';
import type { CallEventRecord, CallStore, RecordEventResult } from './call-store.js';
import { callStatusSchema } from '../../shared/call-status.js';

type Row = Record<string, unknown>;

export interface SqlCallStoreOptions {
  /**
   * Micro-batching of recordCallEvent: the events that arrive together (in the same macrotask, or while earlier
   * batches are still in the database) go to the database in one call of record_call_events, each applied exactly as
   * record_call_event applies it, and each caller is answered only once the whole batch has committed.
   * `false` sends every event on its own.
   */
  eventBatching?: false | { maxBatch?: number; maxInFlight?: number };
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

function eventResult(row: Row | null): RecordEventResult {
  if (!row || row.found !== true) return { found: false };
  return {
    found: true,
    duplicate: row.duplicate === true,
    changed: row.changed === true,
    previousStatus: callStatusSchema.parse(row.previous_status),
    organizationId: String((row.call as Row).organization_id),
    call: callFromRow(row.call as Row),
  };
}

/** One item of a batch failed inside the database (the others were applied): the same failure a lone call would have. */
export class RecordCallEventError extends Error {
  override name = 'RecordCallEventError';
  constructor(message: string, readonly sqlstate: string | undefined) {
    super(message);
  }
}

interface PendingEvent {
  event: CallEventRecord;
  resolve(result: RecordEventResult): void;
  reject(error: unknown): void;
}

/** Coalesces concurrent recordCallEvent calls into record_call_events calls; see SqlCallStoreOptions.eventBatching. */
function eventBatcher(db: SqlClient, recordOne: (e: CallEventRecord) => Promise<RecordEventResult>, maxBatch: number, maxInFlight: number) {
  let queue: PendingEvent[] = [];
  let scheduled = false;
  let inFlight = 0;

  async function run(batch: PendingEvent[]): Promise<void> {
    if (batch.length === 1) {
      const [only] = batch as [PendingEvent];
      await recordOne(only.event).then(only.resolve, only.reject);
      return;
    }
    let rows: Array<Row | null>;
    try {
      const row = await one(db, 'select public.record_call_events($1::jsonb) as r', [JSON.stringify(batch.map((p) => eventJson(p.event)))]);
      if (!Array.isArray(row) || row.length !== batch.length) throw new Error('record_call_events did not return one result per event');
      rows = row as Array<Row | null>;
    } catch {
      // The whole call failed (nothing of it was committed): apply each event on its own, so that one cause cannot
      // fail events that would have succeeded alone; each caller gets its own event's outcome.
      await Promise.all(batch.map((p) => recordOne(p.event).then(p.resolve, p.reject)));
      return;
    }
    batch.forEach((p, i) => {
      const row = rows[i] ?? null;
      if (row && typeof row.error === 'string') p.reject(new RecordCallEventError(`record_call_event failed: ${row.error}`, row.sqlstate as string | undefined));
      else {
        try {
          p.resolve(eventResult(row));
        } catch (error) {
          p.reject(error);
        }
      }
    });
  }

  function pump(): void {
    while (queue.length > 0 && inFlight < maxInFlight) {
      const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
      queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
      inFlight++;
      void run(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  return (event: CallEventRecord): Promise<RecordEventResult> =>
    new Promise((resolve, reject) => {
      queue.push({ event, resolve, reject });
      // Flush at the end of this macrotask, so the callbacks parsed in the same I/O turn share a database call;
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

async function one(db: SqlClient, sql: string, params: unknown[]): Promise<Row | null> {
  const { rows } = await db.query<{ r: Row | null }>(sql, params);
  return rows[0]?.r ?? null;
}

export function createSqlCallStore(db: SqlClient, options: SqlCallStoreOptions = {}): CallStore {
  const recordOne = async (e: CallEventRecord) => eventResult(await one(db, 'select public.record_call_event($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) as r', eventParams(e)));
  const batching = options.eventBatching ?? {};
  const recordBatched = batching === false
    ? recordOne
    : eventBatcher(db, recordOne, Math.max(1, batching.maxBatch ?? DEFAULT_MAX_BATCH), Math.max(1, batching.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT));
  return {
    async getAgent(agentId) {
      const row = await one(db, 'select public.get_agent($1) as r', [agentId]);
      return row ? agentFromRow(row) : null;
    },

    async upsertAgent({ userId, email, displayName, organizationName }) {
      const row = await one(db, 'select public.upsert_agent($1, $2, $3, $4) as r', [userId, email, displayName, organizationName]);
      if (!row) throw new Error('upsert_agent returned nothing');
      return agentFromRow(row);
    },

    async createOutboundCall(c) {
      const row = await one(db, 'select public.create_outbound_call($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) as r', [
        c.organizationId, c.agentId, c.twilioCallSid, c.fromNumber, c.toNumber, c.contactName,
        c.pageUrl, c.pageTitle, c.status, c.errorCode, c.errorMessage, c.createdAt.toISOString(),
      ]);
      if (!row) throw new Error('create_outbound_call returned nothing');
      return { created: row.created === true, call: callFromRow(row.call as Row) };
    },

    recordCallEvent: (e) => recordBatched(e),

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

    async agentCallCounts(agentId, since) {
      const row = await one(db, 'select public.agent_call_counts($1, $2) as r', [agentId, since.toISOString()]);
      return { recent: Number(row?.recent ?? 0), open: Number(row?.open ?? 0) };
    },

    async listStaleCalls(olderThan, limit) {
      const { rows } = await db.query<{ r: Row }>('select r from public.list_stale_calls($1, $2) as r', [olderThan.toISOString(), limit]);
      return rows.map((x) => callFromRow(x.r));
    },

    close: () => db.close(),
  };
}
