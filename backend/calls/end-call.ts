// An agent ends their own call from the server side: for a call the server has open but the agent's softphone no
// longer holds (the browser restarted, the offscreen document was reloaded), so nothing keeps talking or billing.
import type { Call } from '../../shared/api.js';
import { isTerminal, type CallStatus } from '../../shared/call-status.js';
import type { Clock } from '../app.js';
import { notifyCallChange, type CallNotifierDeps } from './call-notifier.js';
import type { CallStatusSource } from './call-reconciler.js';

export interface EndCallDeps extends CallNotifierDeps {
  clock: Clock;
  /** Twilio's REST API or the simulator; without one (or without endCall) the call is closed here only if it is not live there. */
  source: CallStatusSource | undefined;
  /** How long to wait for the telephony side's final callbacks after hanging up (3 s). */
  settleMs?: number;
}

export type EndCallOutcome =
  | { ended: true; call: Call }
  /** The telephony side was asked and has not said the call is over yet: its callbacks will close it. */
  | { ended: false; call: Call };

export class TelephonyUnavailableError extends Error {
  override name = 'TelephonyUnavailableError';
}

/**
 * Hangs the call up on the telephony side, then records how it ended: the side's own final status when it has one,
 * or, when the side no longer knows the call, completed (it was answered) or canceled (it was not).
 */
export async function endCallForAgent(deps: EndCallDeps, organizationId: string, call: Call): Promise<EndCallOutcome> {
  if (isTerminal(call.status)) return { ended: true, call };
  const { source } = deps;
  let reported: CallStatus | 'unknown' = 'unknown';
  let duration: number | null = null;
  if (call.twilioCallSid) {
    if (!source?.endCall) throw new TelephonyUnavailableError('This server cannot end calls on the telephony side.');
    try {
      if ((await source.endCall(call.twilioCallSid)) === 'ended') {
        // Hung up: its final callbacks are on their way. Wait a little for them (or for the side's final status), so
        // the agent gets the end in this answer; past that, the callbacks or the reconciler record it.
        const deadline = Date.now() + (deps.settleMs ?? 3000);
        for (;;) {
          const stored = await deps.store.getCall(call.id);
          if (stored && isTerminal(stored.status)) return { ended: true, call: stored };
          const report = await source.fetchCallStatus(call.twilioCallSid);
          reported = report.status;
          duration = report.duration ?? null;
          if (reported === 'unknown' || isTerminal(reported)) break;
          if (Date.now() >= deadline) return { ended: false, call: stored ?? call };
          await new Promise((resolve) => setTimeout(resolve, 150));
        }
      }
    } catch (error) {
      throw new TelephonyUnavailableError(error instanceof Error ? error.message : String(error));
    }
  }
  const status: CallStatus = reported !== 'unknown' ? reported : call.answeredAt ? 'completed' : 'canceled';
  const result = await deps.store.recordCallEvent({
    callId: call.id,
    callSid: call.twilioCallSid,
    dialCallSid: null,
    sequenceNumber: null,
    source: 'agent-hangup',
    status,
    occurredAt: deps.clock.now(),
    duration,
    errorCode: null,
    errorMessage: null,
    payload: { reportedStatus: reported },
    idempotencyKey: `agent-hangup:${call.id}`,
  });
  if (!result.found) return { ended: true, call };
  if (result.changed) await notifyCallChange(deps, organizationId, result.call, result.previousStatus, 'agent-hangup');
  return { ended: isTerminal(result.call.status), call: result.call };
}
