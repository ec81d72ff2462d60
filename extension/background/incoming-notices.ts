// Outside the page: a notification with Answer and Decline when a call rings while Chrome is not in front, and a
// "Missed call" notification when it stopped ringing unanswered and the backend recorded it as missed.
import type { SoftphoneState } from '../protocol/softphone.js';
import { callerInWords, missedCallSentence } from './missed-call-notices.js';

export interface IncomingNoticeDeps {
  /** A notification that stays until acted on, with the buttons Answer and Decline. */
  notifyIncoming(id: string, message: string): Promise<void>;
  clear(id: string): Promise<void>;
  /** Tells a missed call once (see missed-call-notices.ts). */
  notifyMissed(callId: string, message: string): Promise<void>;
  chromeFocused(): Promise<boolean>;
  /** Whether the backend recorded that call as missed (inbound, unanswered, over); null while it cannot tell yet. */
  wasMissed(callId: string): Promise<boolean | null>;
  wait(ms: number): Promise<void>;
  defaultCountry: string;
}

const incomingNotificationId = (callSid: string) => `incoming-${callSid}`;
export const callSidOfNotification = (id: string) => (id.startsWith('incoming-') ? id.slice('incoming-'.length) : null);

export async function onIncomingChange(previous: Pick<SoftphoneState, 'incoming' | 'call'> | null, state: Pick<SoftphoneState, 'incoming' | 'call'>, deps: IncomingNoticeDeps): Promise<void> {
  const before = previous?.incoming ?? null;
  const now = state.incoming ?? null;
  const who = (from: string, name: string | null) => callerInWords(from, name, deps.defaultCountry);
  if (now && now.callSid !== before?.callSid && !(await deps.chromeFocused())) {
    await deps.notifyIncoming(incomingNotificationId(now.callSid), `Incoming call from ${who(now.from, now.contactName)}.`);
  }
  if (!before || now?.callSid === before.callSid) return;
  await deps.clear(incomingNotificationId(before.callSid));
  // Answered here: not missed. Otherwise the backend says whether a teammate took it or it was missed.
  if (state.call?.callSid === before.callSid || !before.callId) return;
  for (const ms of [1500, 2500, 4000]) {
    await deps.wait(ms);
    const missed = await deps.wasMissed(before.callId).catch(() => null);
    if (missed === null) continue;
    if (missed) await deps.notifyMissed(before.callId, missedCallSentence(who(before.from, before.contactName), false));
    return;
  }
}
