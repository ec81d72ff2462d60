// The store's part for the organization's phone numbers, caller-id checks, softphone registration and inbound calls:
// the interface and its two implementations (SQL `select fn(...)` and Supabase `rpc`) over the same SQL functions.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Call } from '../../shared/api.js';
import type { SqlClient } from '../db/sql-client.js';
import { callFromRow, eventResult } from './call-row.js';
import type { RecordEventResult } from './call-store.js';

type Row = Record<string, unknown>;

export interface PhoneNumber {
  id: string;
  organizationId: string;
  e164: string;
  label: string;
  isDefault: boolean;
  twilioSid: string | null;
  createdAt: string;
}

export type AddPhoneNumberResult = { taken: true } | { taken: false; created: boolean; number: PhoneNumber };

/** The caller id for an agent's outbound call (see resolve_caller_id). */
export type CallerIdResolution =
  | { found: false }
  | { found: true; allowed: boolean; callerId: string | null };

export interface ReceivedInboundCall {
  created: boolean;
  call: Call;
  /** The agents to ring now, in a stable order. */
  agents: Array<{ id: string; displayName: string }>;
  /** What the organization knows of the caller from its latest call with that number. */
  caller: { contactName: string | null; pageUrl: string | null; pageTitle: string | null };
}

export type InboundEventKind = 'ringing' | 'answered' | 'ended' | 'voicemail' | 'leg-ended';

export interface InboundEventRecord {
  callId: string;
  callSid: string | null;
  source: 'inbound-status' | 'inbound-dial' | 'inbound-client' | 'inbound-recording';
  kind: InboundEventKind;
  /** The agent whose <Client> leg the event is about (answered). */
  agentId: string | null;
  occurredAt: Date;
  duration: number | null;
  recording: { sid: string; url: string | null; duration: number | null } | null;
  payload: Record<string, unknown>;
  idempotencyKey: string;
}

export interface InboundStore {
  addPhoneNumber(input: { organizationId: string; e164: string; label: string; isDefault: boolean; twilioSid: string | null }): Promise<AddPhoneNumberResult>;
  listPhoneNumbers(organizationId: string): Promise<PhoneNumber[]>;
  removePhoneNumber(organizationId: string, e164: string): Promise<boolean>;
  findPhoneNumber(e164: string): Promise<PhoneNumber | null>;
  /** The number the agent asked to call from (null: the organization's default), checked against their organization. */
  resolveCallerId(agentId: string, requested: string | null): Promise<CallerIdResolution>;
  /** Registered until `until` (null: not registered). False for no such agent. */
  setSoftphoneRegistration(agentId: string, until: Date | null): Promise<boolean>;
  receiveInboundCall(input: { organizationId: string; twilioCallSid: string; fromNumber: string | null; toNumber: string; createdAt: Date }): Promise<ReceivedInboundCall>;
  findCallBySid(twilioCallSid: string): Promise<Call | null>;
  recordInboundEvent(event: InboundEventRecord): Promise<RecordEventResult>;
  /** The voicemail of a call: its organization (for the access check) and where Twilio keeps it; null without one. */
  getCallRecording(callId: string): Promise<{ organizationId: string; recordingSid: string; recordingUrl: string | null } | null>;
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function phoneNumberFromRow(row: Row): PhoneNumber {
  return {
    id: String(row.id),
    organizationId: String(row.organization_id),
    e164: String(row.e164),
    label: String(row.label ?? ''),
    isDefault: row.is_default === true,
    twilioSid: text(row.twilio_sid),
    createdAt: new Date(String(row.created_at)).toISOString(),
  };
}

function addResult(row: Row | null): AddPhoneNumberResult {
  if (!row) throw new Error('add_phone_number returned nothing');
  if (row.taken === true) return { taken: true };
  return { taken: false, created: row.created === true, number: phoneNumberFromRow(row.number as Row) };
}

function callerIdResult(row: Row | null): CallerIdResolution {
  if (!row || row.found !== true) return { found: false };
  return { found: true, allowed: row.allowed === true, callerId: text(row.caller_id) };
}

function receivedResult(row: Row | null): ReceivedInboundCall {
  if (!row) throw new Error('receive_inbound_call returned nothing');
  const caller = (row.caller ?? {}) as Row;
  return {
    created: row.created === true,
    call: callFromRow(row.call as Row),
    agents: ((row.agents ?? []) as Row[]).map((a) => ({ id: String(a.id), displayName: String(a.display_name) })),
    caller: { contactName: text(caller.contact_name), pageUrl: text(caller.page_url), pageTitle: text(caller.page_title) },
  };
}

function recordingResult(row: Row | null) {
  if (!row || !row.recording_sid) return null;
  return { organizationId: String(row.organization_id), recordingSid: String(row.recording_sid), recordingUrl: text(row.recording_url) };
}

function inboundEventArgs(e: InboundEventRecord) {
  return {
    p_call_id: e.callId, p_call_sid: e.callSid, p_source: e.source, p_kind: e.kind, p_agent_id: e.agentId,
    p_occurred_at: e.occurredAt.toISOString(), p_duration: e.duration, p_recording_sid: e.recording?.sid ?? null,
    p_recording_url: e.recording?.url ?? null, p_recording_duration: e.recording?.duration ?? null,
    p_payload: e.payload, p_idempotency_key: e.idempotencyKey,
  };
}

async function one(db: SqlClient, sql: string, params: unknown[]): Promise<Row | null> {
  const { rows } = await db.query<{ r: Row | null }>(sql, params);
  return rows[0]?.r ?? null;
}

export function sqlInboundStore(db: SqlClient): InboundStore {
  return {
    async addPhoneNumber(n) {
      return addResult(await one(db, 'select public.add_phone_number($1, $2, $3, $4, $5) as r', [n.organizationId, n.e164, n.label, n.isDefault, n.twilioSid]));
    },
    async listPhoneNumbers(organizationId) {
      const { rows } = await db.query<{ r: Row }>('select r from public.list_phone_numbers($1) as r', [organizationId]);
      return rows.map((x) => phoneNumberFromRow(x.r));
    },
    async removePhoneNumber(organizationId, e164) {
      const { rows } = await db.query<{ r: boolean }>('select public.remove_phone_number($1, $2) as r', [organizationId, e164]);
      return rows[0]?.r === true;
    },
    async findPhoneNumber(e164) {
      const row = await one(db, 'select public.find_phone_number($1) as r', [e164]);
      return row ? phoneNumberFromRow(row) : null;
    },
    async resolveCallerId(agentId, requested) {
      return callerIdResult(await one(db, 'select public.resolve_caller_id($1, $2) as r', [agentId, requested]));
    },
    async setSoftphoneRegistration(agentId, until) {
      const { rows } = await db.query<{ r: boolean }>('select public.set_softphone_registration($1, $2) as r', [agentId, until?.toISOString() ?? null]);
      return rows[0]?.r === true;
    },
    async receiveInboundCall(i) {
      return receivedResult(await one(db, 'select public.receive_inbound_call($1, $2, $3, $4, $5) as r', [i.organizationId, i.twilioCallSid, i.fromNumber, i.toNumber, i.createdAt.toISOString()]));
    },
    async findCallBySid(sid) {
      const row = await one(db, 'select public.find_call_by_sid($1) as r', [sid]);
      return row ? callFromRow(row) : null;
    },
    async recordInboundEvent(e) {
      const a = inboundEventArgs(e);
      return eventResult(await one(db, 'select public.record_inbound_event($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) as r', [
        a.p_call_id, a.p_call_sid, a.p_source, a.p_kind, a.p_agent_id, a.p_occurred_at, a.p_duration, a.p_recording_sid,
        a.p_recording_url, a.p_recording_duration, JSON.stringify(a.p_payload), a.p_idempotency_key,
      ]));
    },
    async getCallRecording(callId) {
      return recordingResult(await one(db, 'select public.get_call_recording($1) as r', [callId]));
    },
  };
}

export function supabaseInboundStore(supabase: SupabaseClient): InboundStore {
  async function rpc<T>(fn: string, args: Record<string, unknown>): Promise<T> {
    const { data, error } = await supabase.rpc(fn, args);
    if (error) throw new Error(`The database call ${fn} failed${error.code ? ` (${error.code})` : ''}: ${error.message}`);
    return data as T;
  }
  return {
    async addPhoneNumber(n) {
      return addResult(await rpc<Row | null>('add_phone_number', { p_organization_id: n.organizationId, p_e164: n.e164, p_label: n.label, p_is_default: n.isDefault, p_twilio_sid: n.twilioSid }));
    },
    async listPhoneNumbers(organizationId) {
      return (await rpc<Row[]>('list_phone_numbers', { p_organization_id: organizationId })).map(phoneNumberFromRow);
    },
    async removePhoneNumber(organizationId, e164) {
      return (await rpc<boolean>('remove_phone_number', { p_organization_id: organizationId, p_e164: e164 })) === true;
    },
    async findPhoneNumber(e164) {
      const row = await rpc<Row | null>('find_phone_number', { p_e164: e164 });
      return row ? phoneNumberFromRow(row) : null;
    },
    async resolveCallerId(agentId, requested) {
      return callerIdResult(await rpc<Row | null>('resolve_caller_id', { p_agent_id: agentId, p_requested: requested }));
    },
    async setSoftphoneRegistration(agentId, until) {
      return (await rpc<boolean>('set_softphone_registration', { p_agent_id: agentId, p_until: until?.toISOString() ?? null })) === true;
    },
    async receiveInboundCall(i) {
      return receivedResult(await rpc<Row | null>('receive_inbound_call', {
        p_organization_id: i.organizationId, p_twilio_call_sid: i.twilioCallSid, p_from_number: i.fromNumber, p_to_number: i.toNumber, p_created_at: i.createdAt.toISOString(),
      }));
    },
    async findCallBySid(sid) {
      const row = await rpc<Row | null>('find_call_by_sid', { p_twilio_call_sid: sid });
      return row ? callFromRow(row) : null;
    },
    async recordInboundEvent(e) {
      return eventResult(await rpc<Row | null>('record_inbound_event', inboundEventArgs(e)));
    },
    async getCallRecording(callId) {
      return recordingResult(await rpc<Row | null>('get_call_recording', { p_call_id: callId }));
    },
  };
}
