// Missed calls to the team's numbers, told once each as a notification: those that rang here (at once, when the ringing
// stops) and those nobody could be rung for (all Away or on calls), found in the history on the worker's minute alarm.
import type { Call } from '../../shared/api.js';
import { formatForPeople } from '../../shared/phone/format.js';

/** How many told calls are remembered, so the alarm and the ringing path never tell one twice. */
const REMEMBERED = 100;

export interface MissedCallDeps {
  /** The ids of the missed calls already told, and when the history was last read (ISO); null before the first read. */
  readTold(): Promise<{ ids: string[]; readUntil: string | null }>;
  writeTold(told: { ids: string[]; readUntil: string | null }): Promise<void>;
  notify(id: string, message: string): Promise<void>;
}

/** How a notification names the caller: their name when known, else their number as people write it. */
export function callerInWords(from: string | null, contactName: string | null, defaultCountry: string): string {
  if (contactName) return contactName;
  if (!from) return 'an unknown number';
  return /^\+\d{7,15}$/.test(from) ? formatForPeople(from, defaultCountry) : from;
}

/** The sentence of a missed-call notification, with where to act on it. */
export function missedCallSentence(caller: string, leftVoicemail: boolean): string {
  return `Missed call from ${caller}. ${leftVoicemail ? 'They left a voicemail: play it from' : 'Call back from'} the history in the popup.`;
}

const missedCallNotificationId = (callId: string) => `missed-${callId}`;

/** An inbound call that ended without an agent answering it. */
const wasMissed = (call: Pick<Call, 'direction' | 'status' | 'endedAt'>) => call.direction === 'inbound' && call.status === 'no-answer' && call.endedAt !== null;

/** Tells one missed call, unless it was told already. */
export async function tellMissedCall(callId: string, message: string, deps: MissedCallDeps): Promise<void> {
  const told = await deps.readTold();
  if (told.ids.includes(callId)) return;
  await deps.writeTold({ ...told, ids: [...told.ids, callId].slice(-REMEMBERED) });
  await deps.notify(missedCallNotificationId(callId), message);
}

/**
 * Tells the missed calls that ended since the history was last read, by the server's own end times (the browser's
 * clock may differ). The first read only sets the mark: calls missed before this browser signed in are in the history,
 * not worth a notification each.
 */
export async function tellMissedCallsSince(calls: readonly Call[], describe: (call: Call) => string, deps: MissedCallDeps): Promise<void> {
  const told = await deps.readTold();
  const ended = calls.filter((c) => c.endedAt !== null).map((c) => c.endedAt!).sort((a, b) => Date.parse(a) - Date.parse(b));
  const latest = ended.at(-1) ?? null;
  const mark = told.readUntil;
  if (mark === null || (latest !== null && Date.parse(latest) > Date.parse(mark))) await deps.writeTold({ ...told, readUntil: latest ?? new Date(0).toISOString() });
  if (mark === null) return;
  const fresh = calls.filter((c) => wasMissed(c) && Date.parse(c.endedAt!) > Date.parse(mark)).sort((a, b) => Date.parse(a.endedAt!) - Date.parse(b.endedAt!));
  for (const call of fresh) await tellMissedCall(call.id, describe(call), deps);
}
