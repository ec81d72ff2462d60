// The caller id of an outbound call: the number the agent chose ("Call from", the callFrom custom parameter) only if it
// is one of their organization's numbers; otherwise the organization's default number, then TWILIO_PHONE_NUMBER.
import type { CallStore } from '../store/call-store.js';

const E164 = /^\+[1-9]\d{6,14}$/;

export type CallerIdChoice = { ok: true; callerId: string } | { ok: false; code: 'caller-id-not-allowed'; reason: string };

export const FORGED_CALLER_ID_REASON =
  'This call was refused: the number chosen to call from is not one of your organization\'s numbers. Choose another number in Call from.';

export async function chooseCallerId(store: Pick<CallStore, 'resolveCallerId'>, agentId: string, requested: string | undefined, fallback: string): Promise<CallerIdChoice> {
  const wanted = requested?.trim() ? requested.trim() : null;
  if (wanted !== null && !E164.test(wanted)) return { ok: false, code: 'caller-id-not-allowed', reason: FORGED_CALLER_ID_REASON };
  const resolved = await store.resolveCallerId(agentId, wanted);
  // An unknown agent is refused by the Voice URL's own step; the fallback keeps that answer unchanged.
  if (!resolved.found) return { ok: true, callerId: fallback };
  if (!resolved.allowed) return { ok: false, code: 'caller-id-not-allowed', reason: FORGED_CALLER_ID_REASON };
  return { ok: true, callerId: resolved.callerId ?? fallback };
}
