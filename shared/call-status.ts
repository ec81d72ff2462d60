// The call state machine: which Twilio statuses exist, how they rank, and how an event moves a call.
import { z } from 'zod';

export const CALL_STATUSES = [
  'initiated',
  'ringing',
  'in-progress',
  'canceled',
  'failed',
  'no-answer',
  'busy',
  'completed',
] as const;
export const callStatusSchema = z.enum(CALL_STATUSES);
export type CallStatus = z.infer<typeof callStatusSchema>;

const TERMINAL_STATUSES: ReadonlySet<CallStatus> = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/**
 * Rank of each status. A call only ever moves to a higher rank, so every order and any
 * duplication of the same events ends in the same state. Terminal statuses rank above all
 * live ones; among themselves a fixed precedence decides (the most informative wins), which
 * keeps the result order-independent when two sources disagree (the child leg's `completed`
 * against the `<Dial action>`'s `DialCallStatus`, say).
 *
 * The database applies the same ranks in `call_status_rank()` (supabase/migrations) so that a
 * transition is one atomic SQL call; a test keeps the two tables equal.
 */
export const CALL_STATUS_RANK: Readonly<Record<CallStatus, number>> = {
  initiated: 10,
  ringing: 20,
  'in-progress': 30,
  canceled: 40,
  failed: 50,
  'no-answer': 60,
  busy: 70,
  completed: 80,
};

export function isTerminal(status: CallStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** Twilio's status words, including the ones that mean the same as ours, mapped to ours. */
export function parseTwilioStatus(value: string | undefined | null): CallStatus | undefined {
  if (!value) return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'queued' || v === 'initiated') return 'initiated';
  if (v === 'answered') return 'in-progress';
  const parsed = callStatusSchema.safeParse(v);
  return parsed.success ? parsed.data : undefined;
}

export interface CallProgress {
  status: CallStatus;
  answeredAt: Date | null;
  endedAt: Date | null;
  duration: number | null;
}

export interface CallEventInput {
  status: CallStatus;
  occurredAt: Date;
  /** Seconds, from DialCallDuration / CallDuration, when the event carries one. */
  duration?: number | null;
}

/**
 * Applies one event. Pure and order-independent: folding any permutation of a multiset of events
 * (with repeats) from the same start gives the same result.
 */
export function applyCallEvent(call: CallProgress, event: CallEventInput): CallProgress {
  const status = CALL_STATUS_RANK[event.status] > CALL_STATUS_RANK[call.status] ? event.status : call.status;
  const t = event.occurredAt;
  const answeredAt = event.status === 'in-progress' ? earliest(call.answeredAt, t) : call.answeredAt;
  const endedAt = isTerminal(event.status) ? latest(call.endedAt, t) : call.endedAt;
  const duration =
    event.duration != null && Number.isFinite(event.duration)
      ? Math.max(call.duration ?? 0, Math.trunc(event.duration))
      : call.duration;
  return { status, answeredAt, endedAt, duration };
}

function earliest(a: Date | null, b: Date): Date {
  return a && a.getTime() <= b.getTime() ? a : b;
}
function latest(a: Date | null, b: Date): Date {
  return a && a.getTime() >= b.getTime() ? a : b;
}
