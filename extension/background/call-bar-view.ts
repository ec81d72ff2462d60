// What the in-page call bar shows of the softphone's live call: who, the number formatted for people, status, result.
import type { CallStatus } from '../../shared/call-status.js';
import type { CallBarView, WrapUpView } from '../protocol/messages.js';
import { formatForPeople } from '../../shared/phone/format.js';
import { toE164 } from '../../shared/phone/normalize.js';
import type { LiveCall } from '../protocol/softphone.js';

const RESULT: Record<CallStatus, string> = {
  initiated: 'Calling…',
  ringing: 'Ringing…',
  'in-progress': 'In call',
  completed: 'Call ended',
  busy: 'Busy',
  'no-answer': 'No answer',
  failed: 'Failed',
  canceled: 'Canceled',
};

/** The bar's view of a call (with the wrap-up offered once it has ended); null when there is none to show. */
export function callBarView(call: LiveCall | null, defaultCountry: string, wrapUp: WrapUpView | null = null): CallBarView | null {
  if (!call) return null;
  const parsed = toE164(call.to, defaultCountry);
  const extension = call.extension ?? (parsed.ok ? parsed.extension : undefined);
  const number = parsed.ok ? formatForPeople(parsed.e164, defaultCountry) + (extension ? ` ext. ${extension}` : '') : call.to;
  const statusText =
    call.phase === 'connecting' ? 'Calling…' : call.phase === 'ringing' ? 'Ringing…' : call.phase === 'open' ? 'In call' : RESULT[call.status ?? 'completed'];
  return {
    phase: call.phase,
    number,
    contactName: call.contactName,
    statusText,
    reason: call.error?.message ?? null,
    muted: call.muted,
    answeredAt: call.answeredAt,
    endedAt: call.endedAt,
    wrapUp: call.phase === 'ended' ? wrapUp : null,
  };
}

/** Results worth a notification when the agent may not be looking at the page. */
export function endedBadly(call: LiveCall | null): boolean {
  return call?.phase === 'ended' && (call.status === 'busy' || call.status === 'no-answer' || call.status === 'failed');
}
