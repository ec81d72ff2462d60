// Maps the wrap-up functions' snake_case rows (see 20261202000400_wrapup_functions.sql) to the API's shapes.
import type { Call, CallOutcome, CallWrapUp } from '../../shared/api.js';
import { callFromRow } from './call-row.js';
import type { SaveWrapUpResult, StatusTaken } from './call-store.js';

type Row = Record<string, unknown>;

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const iso = (v: unknown): string => new Date(String(v)).toISOString();

export function wrapUpFromRow(row: Row): CallWrapUp {
  return {
    callId: String(row.call_id),
    outcomeId: text(row.outcome_id),
    outcomeLabel: text(row.outcome_label),
    notes: String(row.notes ?? ''),
    // A date column comes back as "2026-12-24" from jsonb.
    followUpOn: row.follow_up_on === null || row.follow_up_on === undefined ? null : String(row.follow_up_on).slice(0, 10),
    writtenBy: text(row.written_by),
    writtenByName: text(row.written_by_name),
    writtenAt: iso(row.written_at),
    updatedAt: iso(row.updated_at),
  };
}

function outcomeFromRow(row: Row): CallOutcome {
  return {
    id: String(row.id),
    label: String(row.label),
    matchesStatuses: Array.isArray(row.matches_statuses) ? row.matches_statuses.map(String) : [],
    position: Number(row.position),
    archived: row.archived === true,
  };
}

export function outcomesFromRow(row: Row | null): { wrapUpRequired: boolean; outcomes: CallOutcome[] } {
  return {
    wrapUpRequired: row?.wrapup_required === true,
    outcomes: Array.isArray(row?.outcomes) ? (row.outcomes as Row[]).map(outcomeFromRow) : [],
  };
}

const SAVE_ERRORS = ['no-such-call', 'call-not-ended', 'not-your-call', 'not-the-author', 'unknown-outcome'] as const;

export function saveResultFromRow(row: Row | null): SaveWrapUpResult {
  if (!row) throw new Error('save_call_wrapup returned nothing');
  if (typeof row.error === 'string') {
    const error = SAVE_ERRORS.find((e) => e === row.error);
    if (!error) throw new Error(`save_call_wrapup answered an unknown error: ${row.error.slice(0, 60)}`);
    return { ok: false, error };
  }
  const wrapUp = wrapUpFromRow(row.wrap_up as Row);
  return { ok: true, created: row.created === true, call: { ...callFromRow(row.call as Row), wrapUp }, wrapUp };
}

/** A call row of export_calls or pending_call_wrapup, with its wrap-up when it has one. */
export function callWithWrapUpFromRow(row: Row): Call {
  const wrap = row.wrap_up as Row | null | undefined;
  return { ...callFromRow(row), wrapUp: wrap ? wrapUpFromRow(wrap) : null };
}

export function outcomeResult<E extends string>(row: Row | null, errors: readonly E[]): { outcome: CallOutcome } | { error: E } | StatusTaken {
  if (!row) throw new Error('the outcome function returned nothing');
  if (row.error === 'status-taken') return { error: 'status-taken', status: String(row.status), label: String(row.label) };
  if (typeof row.error === 'string') {
    const error = errors.find((e) => e === row.error);
    if (!error) throw new Error(`the outcome function answered an unknown error: ${row.error.slice(0, 60)}`);
    return { error };
  }
  return { outcome: outcomeFromRow(row.outcome as Row) };
}

/** What pending_call_wrapup returns (null for no such agent: nothing required). */
export function pendingFromRow(row: Row | null): { required: boolean; call: Call | null } {
  return { required: row?.required === true, call: row?.call ? callWithWrapUpFromRow(row.call as Row) : null };
}
