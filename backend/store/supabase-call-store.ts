// The CallStore over Supabase: every read and write is `supabase.rpc` of the same SQL functions the SQL store selects.
import type { SupabaseClient } from '@supabase/supabase-js';
import { agentFromRow, callFromRow, eventResult, placeRequestJson, placeResult, presenceFromRow, roleChangeFromRow } from './call-row.js';
import type { AgentRole, CallStore } from './call-store.js';
import { supabaseInboundStore } from './inbound-store.js';
import { callWithWrapUpFromRow, outcomeResult, outcomesFromRow, pendingFromRow, saveResultFromRow, wrapUpFromRow } from './wrap-up-row.js';

type Row = Record<string, unknown>;

export class SupabaseStoreError extends Error {
  override name = 'SupabaseStoreError';
  constructor(
    readonly fn: string,
    readonly code: string | undefined,
    detail: string,
  ) {
    super(`The database call ${fn} failed${code ? ` (${code})` : ''}: ${detail}`);
  }
}

export function createSupabaseCallStore(supabase: SupabaseClient): CallStore {
  async function rpc<T>(fn: string, args: Record<string, unknown>): Promise<T> {
    const { data, error } = await supabase.rpc(fn, args);
    if (error) throw new SupabaseStoreError(fn, error.code || undefined, error.message);
    return data as T;
  }

  return {
    ...supabaseInboundStore(supabase),
    async getAgent(agentId) {
      const row = await rpc<Row | null>('get_agent', { p_agent_id: agentId });
      return row ? agentFromRow(row) : null;
    },

    async upsertAgent({ userId, email, displayName, organizationName }) {
      const row = await rpc<Row | null>('upsert_agent', {
        p_user_id: userId, p_email: email, p_display_name: displayName, p_organization_name: organizationName,
      });
      if (!row) throw new SupabaseStoreError('upsert_agent', undefined, 'it returned nothing');
      return agentFromRow(row);
    },

    async placeOutboundCall(r) {
      const rows = await rpc<Array<Row | null> | null>('place_outbound_calls_after_wrapup', { p_calls: [placeRequestJson(r)] });
      const row = Array.isArray(rows) ? rows[0] : undefined;
      if (row === undefined) throw new SupabaseStoreError('place_outbound_calls', undefined, 'it returned no result');
      if (row && typeof row.error === 'string') {
        throw new SupabaseStoreError('place_outbound_calls', typeof row.sqlstate === 'string' ? row.sqlstate : undefined, row.error);
      }
      return placeResult(row);
    },

    async recordCallEvent(e) {
      const row = await rpc<Row | null>('record_call_event', {
        p_call_id: e.callId, p_call_sid: e.callSid, p_dial_call_sid: e.dialCallSid, p_sequence_number: e.sequenceNumber,
        p_source: e.source, p_status: e.status, p_occurred_at: e.occurredAt.toISOString(), p_duration: e.duration,
        p_error_code: e.errorCode, p_error_message: e.errorMessage, p_payload: e.payload, p_idempotency_key: e.idempotencyKey,
      });
      return eventResult(row);
    },

    async getCall(callId) {
      const row = await rpc<Row | null>('get_call', { p_call_id: callId });
      return row ? callFromRow(row) : null;
    },

    async listCalls(organizationId, limit, before) {
      const rows = await rpc<Row[]>('list_calls', {
        p_organization_id: organizationId, p_limit: limit,
        p_before_created_at: before?.createdAt ?? null, p_before_id: before?.id ?? null,
      });
      return { calls: rows.map(callFromRow), rawCreatedAt: rows.map((r) => String(r.created_at)) };
    },

    async listAgentPresence(organizationId) {
      return (await rpc<Row[]>('list_agent_presence', { p_organization_id: organizationId })).map(presenceFromRow);
    },

    async getAgentPresence(agentId) {
      const rows = await rpc<Row[]>('get_agent_presence', { p_agent_id: agentId });
      return rows[0] ? presenceFromRow(rows[0]) : null;
    },

    async setAgentPresence(agentId, presence, at) {
      const rows = await rpc<Row[]>('set_agent_presence', { p_agent_id: agentId, p_presence: presence, p_at: at?.toISOString() ?? null });
      return rows[0] ? presenceFromRow(rows[0]) : null;
    },

    async noteAgentSeen(agentId, at) {
      return (await rpc<boolean | null>('note_agent_seen', { p_agent_id: agentId, p_at: at?.toISOString() ?? null })) === true;
    },

    async noteAgentGone(agentId) {
      await rpc<null>('note_agent_gone', { p_agent_id: agentId });
    },

    async listStaleCalls(olderThan, limit) {
      return (await rpc<Row[]>('list_stale_calls', { p_older_than: olderThan.toISOString(), p_limit: limit })).map(callFromRow);
    },

    async getAgentRole(agentId) {
      return rpc<AgentRole | null>('get_agent_role', { p_agent_id: agentId });
    },

    async findOrganization(name) {
      const row = await rpc<Row | null>('find_organization', { p_name: name });
      return row ? { id: String(row.id), name: String(row.name) } : null;
    },

    async setAgentRole(organizationId, email, role) {
      const row = await rpc<Row | null>('set_agent_role', { p_organization_id: organizationId, p_email: email, p_role: role });
      return row ? roleChangeFromRow(row) : null;
    },

    // ---- Wrap-ups (issue 19) ----
    async listCallOutcomes(organizationId, includeArchived) {
      return outcomesFromRow(await rpc<Row | null>('list_call_outcomes', { p_organization_id: organizationId, p_include_archived: includeArchived }));
    },

    async saveCallWrapUp(w) {
      return saveResultFromRow(await rpc<Row | null>('save_call_wrapup', {
        p_agent_id: w.agentId, p_call_id: w.callId, p_call_sid: w.callSid, p_outcome_id: w.outcomeId,
        p_notes: w.notes, p_follow_up_on: w.followUpOn, p_now: w.now.toISOString(),
      }));
    },

    async listCallWrapUps(organizationId, callIds) {
      if (callIds.length === 0) return [];
      return (await rpc<Row[]>('list_call_wrapups', { p_organization_id: organizationId, p_call_ids: callIds })).map(wrapUpFromRow);
    },

    async pendingCallWrapUp(agentId) {
      return pendingFromRow(await rpc<Row | null>('pending_call_wrapup', { p_agent_id: agentId }));
    },

    async addCallOutcome(organizationId, o) {
      return outcomeResult(
        await rpc<Row | null>('add_call_outcome', { p_organization_id: organizationId, p_label: o.label, p_matches_statuses: o.matchesStatuses ?? null, p_position: o.position ?? null }),
        ['duplicate-label'] as const,
      );
    },

    async updateCallOutcome(organizationId, outcomeId, c) {
      return outcomeResult(
        await rpc<Row | null>('update_call_outcome', {
          p_organization_id: organizationId, p_outcome_id: outcomeId, p_label: c.label ?? null,
          p_matches_statuses: c.matchesStatuses ?? null, p_position: c.position ?? null, p_archived: c.archived ?? null,
        }),
        ['no-such-outcome', 'duplicate-label'] as const,
      );
    },

    async setWrapUpRequired(organizationId, required) {
      return (await rpc<boolean | null>('set_wrapup_required', { p_organization_id: organizationId, p_required: required })) === true;
    },

    async exportCalls(organizationId, f, limit, before) {
      const rows = await rpc<Row[]>('export_calls', {
        p_organization_id: organizationId, p_from: f.from?.toISOString() ?? null, p_to: f.to?.toISOString() ?? null,
        p_agent_id: f.agentId, p_outcome_id: f.outcomeId, p_limit: limit,
        p_before_created_at: before?.createdAt ?? null, p_before_id: before?.id ?? null,
      });
      return { calls: rows.map(callWithWrapUpFromRow), rawCreatedAt: rows.map((r) => String(r.created_at)) };
    },

    async close() {
      await supabase.removeAllChannels();
    },
  };
}
