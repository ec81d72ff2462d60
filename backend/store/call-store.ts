// What the backend needs from its database: one interface, an embedded (SQL) and a Supabase (rpc) implementation.
import type { AgentPresence, Call, CallOutcome, CallWrapUp, ChosenPresence } from '../../shared/api.js';
import type { CallStatus } from '../../shared/call-status.js';
import type { InboundStore } from './inbound-store.js';

/** A call result that already pre-selects another active outcome of the organization. */
export interface StatusTaken {
  error: 'status-taken';
  status: string;
  label: string;
}

export interface StoredAgent {
  id: string;
  email: string;
  displayName: string;
  organizationId: string;
  organizationName: string;
}

/** A Voice URL request, for placeOutboundCall: the number already checked by the backend (see twilio/call-guard.ts). */
export interface OutboundCallRequest {
  agentId: string;
  twilioCallSid: string;
  fromNumber: string | null;
  toNumber: string | null;
  contactName: string | null;
  pageUrl: string | null;
  pageTitle: string | null;
  /** Digits sent after answer (<Number sendDigits>), already checked; null for none. */
  extension?: string | null;
  /** The backend's refusal of the number (the call is stored as failed with it), or null: the agent's limits decide. */
  refusal: { code: string; message: string } | null;
  /** At most `calls` calls of the agent created at or after `since` (the refused ones count too). */
  rateLimit: { calls: number; since: Date };
  /** At most `calls` calls of the agent's organization created at or after `since` (its daily cap). */
  orgLimit?: { calls: number; since: Date };
  /** The sentences stored with the database's own refusals: the agent has an open call; a limit is reached. */
  limitMessages: { agentBusy: string; rateLimited: string; orgLimited?: string; /** When given, a missing required wrap-up refuses the call with it. */ wrapUpRequired?: string };
  createdAt: Date;
}

export type PlaceOutboundResult =
  | { found: false }
  | { found: true; created: boolean; organizationId: string; call: Call };

export interface CallEventRecord {
  callId: string;
  callSid: string | null;
  dialCallSid: string | null;
  sequenceNumber: number | null;
  source: 'call-progress-events' | 'dial-action' | 'reconciler' | 'agent-hangup';
  status: CallStatus;
  occurredAt: Date;
  duration: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  payload: Record<string, unknown>;
  idempotencyKey: string;
}

export type RecordEventResult =
  | { found: false }
  | { found: true; duplicate: boolean; changed: boolean; previousStatus: CallStatus; organizationId: string; call: Call };

export interface CallCursor {
  createdAt: string;
  id: string;
}

/** The phone numbers, caller ids and inbound calls are InboundStore's (inbound-store.ts). */
export interface CallStore extends InboundStore {
  getAgent(agentId: string): Promise<StoredAgent | null>;
  upsertAgent(input: { userId: string; email: string; displayName: string; organizationName: string }): Promise<StoredAgent>;
  /**
   * The Voice URL's one database step: resolves the agent (unknown: `found: false`, nothing written) and, under the
   * agent's row lock, refuses the call when the agent has an open call ('agent-busy') or reached the rate limit
   * ('rate-limited'), then creates it (initiated, or failed with the refusal). Idempotent on twilioCallSid.
   */
  placeOutboundCall(input: OutboundCallRequest): Promise<PlaceOutboundResult>;
  recordCallEvent(event: CallEventRecord): Promise<RecordEventResult>;
  getCall(callId: string): Promise<Call | null>;
  listCalls(organizationId: string, limit: number, before: CallCursor | null): Promise<{ calls: Call[]; rawCreatedAt: string[] }>;
  listAgentPresence(organizationId: string): Promise<AgentPresence[]>;
  /** One agent's presence (null for no such agent). Optional: without it, the organization's list is searched. */
  getAgentPresence?(agentId: string): Promise<AgentPresence | null>;
  listStaleCalls(olderThan: Date, limit: number): Promise<Call[]>;
  /** The agent's role; null for no such agent. */
  getAgentRole(agentId: string): Promise<AgentRole | null>;
  findOrganization(name: string): Promise<{ id: string; name: string } | null>;
  /** Changes the role of the organization's agent with that email; null when the organization has none. */
  setAgentRole(organizationId: string, email: string, role: AgentRole): Promise<{ id: string; email: string; displayName: string; role: AgentRole } | null>;
  /**
   * The agent's own choice of presence; the agent's presence after it (null for no such agent). Presence is timed by the
   * database's clock (Offline is derived against it): `at` is for tests only.
   */
  setAgentPresence(agentId: string, presence: ChosenPresence, at?: Date): Promise<AgentPresence | null>;
  /** The backend saw the agent (now, by the database's clock); true when the agent was offline until now (teammates are told). */
  noteAgentSeen(agentId: string, at?: Date): Promise<boolean>;
  /** The agent signed out: offline at once. */
  noteAgentGone(agentId: string): Promise<void>;
  // ---- Wrap-ups (issue 19): outcomes, a call's wrap-up, the required-wrap-up check, the CSV export ----
  /** The organization's outcomes in order (archived ones only when asked) and whether wrap-up is required. */
  listCallOutcomes(organizationId: string, includeArchived: boolean): Promise<{ wrapUpRequired: boolean; outcomes: CallOutcome[] }>;
  /** Saves or edits a call's wrap-up for the agent; the database decides who may (see save_call_wrapup). */
  saveCallWrapUp(input: WrapUpInput): Promise<SaveWrapUpResult>;
  /** The wrap-ups of these calls of the organization (a page of history). */
  listCallWrapUps(organizationId: string, callIds: string[]): Promise<CallWrapUp[]>;
  /** Whether the agent's organization requires a wrap-up, and the agent's last ended call still lacking one. */
  pendingCallWrapUp(agentId: string): Promise<{ required: boolean; call: Call | null }>;
  /** 'status-taken': a result in matchesStatuses already pre-selects another active outcome (which, by its label). */
  addCallOutcome(organizationId: string, outcome: { label: string; matchesStatuses?: string[] | null; position?: number | null }): Promise<{ outcome: CallOutcome } | { error: 'duplicate-label' } | StatusTaken>;
  updateCallOutcome(
    organizationId: string,
    outcomeId: string,
    change: { label?: string | null; matchesStatuses?: string[] | null; position?: number | null; archived?: boolean | null },
  ): Promise<{ outcome: CallOutcome } | { error: 'no-such-outcome' | 'duplicate-label' } | StatusTaken>;
  setWrapUpRequired(organizationId: string, required: boolean): Promise<boolean>;
  /** One batch of the CSV export: the organization's calls (with wrap-ups) matching the filter, newest first, after the cursor. */
  exportCalls(organizationId: string, filter: CallExportFilter, limit: number, before: CallCursor | null): Promise<{ calls: Call[]; rawCreatedAt: string[] }>;
  close(): Promise<void>;
}

export interface WrapUpInput {
  agentId: string;
  /** The call by id, or (from the extension's just-ended call) by its Twilio CallSid. */
  callId: string | null;
  callSid: string | null;
  outcomeId: string;
  notes: string;
  followUpOn: string | null;
  now: Date;
}

export type SaveWrapUpResult =
  | { ok: true; created: boolean; call: Call; wrapUp: CallWrapUp }
  | { ok: false; error: 'no-such-call' | 'call-not-ended' | 'not-your-call' | 'not-the-author' | 'unknown-outcome' };

export interface CallExportFilter {
  from: Date | null;
  to: Date | null;
  agentId: string | null;
  outcomeId: string | null;
}

/** Admins manage their organization (outcomes, webhooks, phone numbers, roles); agents call. */
export type AgentRole = 'agent' | 'admin';
