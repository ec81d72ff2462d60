// Maps the snake_case rows the SQL functions return to the API's camelCase shapes, in one place.
import type { AgentPresence, Call } from '../../shared/api.js';
import { callStatusSchema } from '../../shared/call-status.js';
import type { AgentRole, OutboundCallRequest, PlaceOutboundResult, RecordEventResult, StoredAgent } from './call-store.js';

type Row = Record<string, unknown>;

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(String(v)).toISOString());

export function callFromRow(row: Row): Call {
  return {
    id: String(row.id),
    direction: row.direction === 'inbound' ? 'inbound' : 'outbound',
    status: callStatusSchema.parse(row.status),
    fromNumber: text(row.from_number),
    toNumber: text(row.to_number),
    contactName: text(row.contact_name),
    assignedTo: text(row.assigned_to),
    agentName: text(row.agent_name),
    twilioCallSid: text(row.twilio_call_sid),
    dialCallSid: text(row.dial_call_sid),
    pageUrl: text(row.page_url),
    pageTitle: text(row.page_title),
    createdAt: iso(row.created_at) ?? new Date(0).toISOString(),
    answeredAt: iso(row.answered_at),
    endedAt: iso(row.ended_at),
    duration: row.duration === null || row.duration === undefined ? null : Number(row.duration),
    errorCode: text(row.error_code),
    errorMessage: text(row.error_message),
    extension: text(row.extension),
    ...inboundFields(row),
  };
}

/** The inbound columns; outbound calls leave them out, so their shape is unchanged. */
function inboundFields(row: Row): Pick<Call, 'answeredBy' | 'voicemail'> {
  if (row.direction !== 'inbound') return {};
  return {
    answeredBy: text(row.answered_by),
    voicemail: row.recording_sid ? { seconds: row.recording_duration === null || row.recording_duration === undefined ? null : Number(row.recording_duration) } : null,
  };
}

const CHOSEN = ['available', 'away', 'dnd'] as const;
const bool = (v: unknown) => v === true || v === 't';

export function presenceFromRow(row: Row): AgentPresence {
  const available = bool(row.is_available);
  const chosen = CHOSEN.find((p) => p === row.chosen_presence) ?? 'available';
  // Rows from before the presence columns (no is_online) keep the old meaning: available unless on a call.
  const online = row.is_online === undefined ? true : bool(row.is_online);
  return {
    id: String(row.id),
    displayName: String(row.display_name),
    email: String(row.email),
    status: !available ? 'on-call' : !online ? 'offline' : chosen,
    chosenPresence: chosen,
    online,
    currentCallId: text(row.current_call_id),
    currentCallPhoneNumber: text(row.current_call_phone_number),
  };
}

export function agentFromRow(row: Row): StoredAgent {
  return {
    id: String(row.id),
    email: String(row.email),
    displayName: String(row.display_name),
    organizationId: String(row.organization_id),
    organizationName: String(row.organization_name),
  };
}

export function roleChangeFromRow(row: Row): { id: string; email: string; displayName: string; role: AgentRole } {
  return { id: String(row.id), email: String(row.email), displayName: String(row.display_name), role: row.role === 'admin' ? 'admin' : 'agent' };
}

/** One element of place_outbound_calls' argument. */
export function placeRequestJson(r: OutboundCallRequest): Row {
  return {
    agent_id: r.agentId, twilio_call_sid: r.twilioCallSid, from_number: r.fromNumber, to_number: r.toNumber,
    contact_name: r.contactName, page_url: r.pageUrl, page_title: r.pageTitle, created_at: r.createdAt.toISOString(),
    error_code: r.refusal?.code ?? null, error_message: r.refusal?.message ?? null,
    rate_limit_calls: r.rateLimit.calls, rate_limit_since: r.rateLimit.since.toISOString(),
    busy_message: r.limitMessages.agentBusy, rate_limited_message: r.limitMessages.rateLimited,
    extension: r.extension ?? null,
    org_limit_calls: r.orgLimit?.calls ?? null, org_limit_since: r.orgLimit?.since.toISOString() ?? null,
    org_limited_message: r.limitMessages.orgLimited ?? null,
    wrap_up_message: r.limitMessages.wrapUpRequired ?? null,
  };
}

/** One element of place_outbound_calls' result (not an {"error"} one). */
export function placeResult(row: Row | null): PlaceOutboundResult {
  if (!row) throw new Error('place_outbound_calls returned nothing for a call');
  if (row.found !== true) return { found: false };
  const call = row.call as Row;
  return { found: true, created: row.created === true, organizationId: String(call.organization_id), call: callFromRow(call) };
}

/** What record_call_event returns (alone or as one item of record_call_events), as the store's result. */
export function eventResult(row: Row | null): RecordEventResult {
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
