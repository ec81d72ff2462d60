// The CallStore over a direct SQL connection (embedded PGlite or a PostgreSQL server): `select fn(...)` per operation.
import type { SqlClient } from '../db/sql-client.js';
import { agentFromRow, callFromRow, presenceFromRow } from './call-row.js';
import type { CallStore } from './call-store.js';
import { callStatusSchema } from '../../shared/call-status.js';

type Row = Record<string, unknown>;

async function one(db: SqlClient, sql: string, params: unknown[]): Promise<Row | null> {
  const { rows } = await db.query<{ r: Row | null }>(sql, params);
  return rows[0]?.r ?? null;
}

export function createSqlCallStore(db: SqlClient): CallStore {
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

    async recordCallEvent(e) {
      const row = await one(db, 'select public.record_call_event($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) as r', [
        e.callId, e.callSid, e.dialCallSid, e.sequenceNumber, e.source, e.status, e.occurredAt.toISOString(),
        e.duration, e.errorCode, e.errorMessage, JSON.stringify(e.payload), e.idempotencyKey,
      ]);
      if (!row || row.found !== true) return { found: false };
      const call = callFromRow(row.call as Row);
      return {
        found: true,
        duplicate: row.duplicate === true,
        changed: row.changed === true,
        previousStatus: callStatusSchema.parse(row.previous_status),
        organizationId: String((row.call as Row).organization_id),
        call,
      };
    },

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
