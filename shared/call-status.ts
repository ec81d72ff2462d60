// The call statuses both sides share: which exist, which are final, and Twilio's words for them. How an event moves a
// call (ranks, order independence) is the database's alone: call_status_rank, call_is_open and record_call_event.
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

// Must agree with call_is_final() in supabase/migrations (supabase/call-state-rules.test.ts checks it).
const TERMINAL_STATUSES: ReadonlySet<CallStatus> = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

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
