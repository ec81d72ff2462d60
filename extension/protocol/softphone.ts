// The softphone's call-state model: one shape for the live call, and the pure reducer both softphone implementations feed.
import { z } from 'zod';
import { callStatusSchema, isTerminal, type CallStatus } from '../../shared/call-status.js';

/** What the agent should be offered to fix a failure. */
export const callErrorActionSchema = z.enum(['open-permission', 'sign-in', 'check-backend']).nullable();
export type CallErrorAction = z.infer<typeof callErrorActionSchema>;

export const callErrorSchema = z.object({
  code: z.number().int().nullable(),
  /** A full sentence a person can act on. */
  message: z.string(),
  action: callErrorActionSchema,
});
export type CallError = z.infer<typeof callErrorSchema>;

/** connecting → ringing → open → ended; `ended` keeps the final status and any error. */
const callPhaseSchema = z.enum(['connecting', 'ringing', 'open', 'ended']);
export type CallPhase = z.infer<typeof callPhaseSchema>;

export const liveCallSchema = z.object({
  /** Local id, set when the dial starts (before any call SID exists). */
  id: z.string(),
  callSid: z.string().nullable(),
  to: z.string(),
  /** The extension dialled after the answer (digits only), shown with the number. */
  extension: z.string().max(16).nullable().optional(),
  contactName: z.string().nullable(),
  pageUrl: z.string().nullable(),
  pageTitle: z.string().nullable(),
  phase: callPhaseSchema,
  /** The final status once ended (completed, busy, no-answer, failed, canceled). */
  status: callStatusSchema.nullable(),
  startedAt: z.number(),
  answeredAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  muted: z.boolean(),
  /** Active call-quality warnings, by Voice SDK warning name (high-rtt, low-mos, …). */
  warnings: z.array(z.string()),
  error: callErrorSchema.nullable(),
  /** An answered incoming call is 'inbound' (its `to` is then the caller's number); absent means outbound. */
  direction: z.enum(['outbound', 'inbound']).optional(),
});
export type LiveCall = z.infer<typeof liveCallSchema>;

/** A call to one of the organization's numbers, ringing on this softphone (not yet answered or declined). */
export const incomingCallSchema = z.object({
  /** The ringing leg's CallSid: what Answer and Decline name. */
  callSid: z.string().max(64),
  /** The backend's call id (the <Parameter> callId). */
  callId: z.string().max(64).nullable(),
  /** The caller's number as Twilio gave it. */
  from: z.string().max(64),
  /** What the organization knows of the caller from its previous calls. */
  contactName: z.string().max(200).nullable(),
  pageUrl: z.string().max(2048).nullable(),
  pageTitle: z.string().max(500).nullable(),
  receivedAt: z.number(),
});
export type IncomingCall = z.infer<typeof incomingCallSchema>;

export const softphoneModeSchema = z.enum(['twilio', 'simulated']);
export type SoftphoneMode = z.infer<typeof softphoneModeSchema>;

export const softphoneStateSchema = z.object({
  mode: softphoneModeSchema.nullable(),
  /** Whether the device can place a call now (token fetched, event stream open). */
  ready: z.boolean(),
  /** Why the device is not ready, as a sentence. */
  deviceError: callErrorSchema.nullable(),
  call: liveCallSchema.nullable(),
  /** The incoming call ringing now, if any. */
  incoming: incomingCallSchema.nullable().optional(),
});
export type SoftphoneState = z.infer<typeof softphoneStateSchema>;

export const INITIAL_SOFTPHONE_STATE: SoftphoneState = { mode: null, ready: false, deviceError: null, call: null };

/** The events both implementations translate their source events into. */
export type SoftphoneEvent =
  | { type: 'dial'; id: string; to: string; extension?: string; contactName?: string; pageUrl?: string; pageTitle?: string; at: number; direction?: 'inbound' }
  | { type: 'sid'; callSid: string }
  | { type: 'ringing' }
  | { type: 'accept'; at: number }
  | { type: 'mute'; muted: boolean }
  | { type: 'warning'; name: string }
  | { type: 'warning-cleared'; name: string }
  | { type: 'error'; error: CallError }
  | { type: 'disconnect'; status?: CallStatus; at: number }
  | { type: 'cancel'; at: number }
  | { type: 'reject'; at: number };

/** Whether a call is still live (not yet ended). */
export function isCallLive(call: LiveCall | null): boolean {
  return call !== null && call.phase !== 'ended';
}

/** Applies one event to the live call. A call never goes back a phase and an ended call is final. */
export function applySoftphoneEvent(call: LiveCall | null, event: SoftphoneEvent): LiveCall | null {
  if (event.type === 'dial') {
    return {
      id: event.id,
      callSid: null,
      to: event.to,
      ...(event.extension ? { extension: event.extension } : {}),
      contactName: event.contactName ?? null,
      pageUrl: event.pageUrl ?? null,
      pageTitle: event.pageTitle ?? null,
      phase: 'connecting',
      status: null,
      startedAt: event.at,
      answeredAt: null,
      endedAt: null,
      muted: false,
      warnings: [],
      error: null,
      ...(event.direction ? { direction: event.direction } : {}),
    };
  }
  if (!call || call.phase === 'ended') return call;
  switch (event.type) {
    case 'sid':
      return { ...call, callSid: event.callSid };
    case 'ringing':
      return call.phase === 'connecting' ? { ...call, phase: 'ringing' } : call;
    case 'accept':
      return { ...call, phase: 'open', answeredAt: call.answeredAt ?? event.at };
    case 'mute':
      return { ...call, muted: event.muted };
    case 'warning':
      return call.warnings.includes(event.name) ? call : { ...call, warnings: [...call.warnings, event.name] };
    case 'warning-cleared':
      return { ...call, warnings: call.warnings.filter((w) => w !== event.name) };
    case 'error':
      return { ...call, error: event.error };
    case 'disconnect': {
      const status = event.status && isTerminal(event.status) ? event.status : call.error ? 'failed' : call.answeredAt ? 'completed' : 'canceled';
      return end(call, status, event.at);
    }
    case 'cancel':
      return end(call, 'canceled', event.at);
    case 'reject':
      return end(call, 'busy', event.at);
  }
}

function end(call: LiveCall, status: CallStatus, at: number): LiveCall {
  return { ...call, phase: 'ended', status, endedAt: at, warnings: [] };
}

/** Sentences for the Voice SDK's call-quality warnings. */
export function describeCallWarning(name: string): string {
  switch (name) {
    case 'high-rtt':
      return 'The connection is slow; the other side may hear you late.';
    case 'low-mos':
    case 'high-jitter':
    case 'high-packet-loss':
    case 'high-packets-lost-fraction':
      return 'Call quality is poor; audio may break up.';
    case 'constant-audio-input-level':
    case 'constant-audio-level':
      return 'Your microphone seems silent; check that it is plugged in and not muted.';
    case 'signalling-reconnecting':
      return 'The connection to Twilio dropped; reconnecting without ending the call…';
    default:
      return `Call quality warning: ${name}.`;
  }
}

/** The incoming call's <Parameter>s (the Voice SDK's call.customParameters, the simulator's params) as the state keeps them. */
export function incomingFromParams(callSid: string, params: Record<string, string | undefined>, at: number): IncomingCall {
  const text = (v: string | undefined, max: number) => (v ? v.slice(0, max) : null);
  const pageUrl = params.pageUrl && /^https?:\/\//i.test(params.pageUrl) ? params.pageUrl.slice(0, 2048) : null;
  return {
    callSid,
    callId: text(params.callId, 64),
    from: (params.callerNumber ?? params.From ?? 'Unknown caller').slice(0, 64),
    contactName: text(params.contactName, 200),
    pageUrl,
    pageTitle: pageUrl ? text(params.pageTitle, 500) : null,
    receivedAt: at,
  };
}
