// Closes calls whose final callback never came: after a bound, asks the telephony side for the call's status and records it as a 'reconciler' event.
import type { Call } from '../../shared/api.js';
import { isTerminal, type CallStatus } from '../../shared/call-status.js';
import type { Clock } from '../app.js';
import { notifyCallChange, type CallNotifierDeps } from './call-notifier.js';

/** What Twilio (or the simulator) says about a call now; 'unknown' when it has no such call. */
export interface CallStatusReport {
  status: CallStatus | 'unknown';
  /** Seconds, when known. */
  duration?: number | null;
}

/** The telephony side's REST view of calls (Twilio's API, or the simulator playing it): ask for a call, end a call. */
export interface CallStatusSource {
  fetchCallStatus(twilioCallSid: string): Promise<CallStatusReport>;
  /**
   * Hangs the call up on the telephony side (its callbacks then close it here); 'unknown' when that side has no live
   * call with this SID. Optional: a source that cannot end calls leaves the agent's own softphone to do it.
   */
  endCall?(twilioCallSid: string): Promise<'ended' | 'unknown'>;
  /** Fetches a recording's audio (a URL of Twilio's API) with the account's credentials. Optional: plain fetch otherwise. */
  fetchRecording?(url: string): Promise<Response>;
}

export interface ReconcilerDeps extends CallNotifierDeps {
  clock: Clock;
  source: CallStatusSource;
  /** A call still open this long after it was created is checked. */
  reconcileAfterSeconds: number;
  batchSize?: number;
}

export interface ReconcileResult {
  checked: number;
  closed: Array<{ callId: string; status: CallStatus }>;
  stillOpen: number;
  errors: number;
}

const UNKNOWN_MESSAGE = 'The call ended without its final status reaching the backend; it was closed by the reconciler.';

/** The status to close a call with when the telephony side no longer knows it. */
function closingStatus(call: Call): CallStatus {
  return call.answeredAt ? 'completed' : 'failed';
}

export function createCallReconciler(deps: ReconcilerDeps) {
  const { store, clock, source, logger } = deps;

  async function reconcileCall(call: Call): Promise<CallStatus | null> {
    if (!call.twilioCallSid) return null;
    const report = await source.fetchCallStatus(call.twilioCallSid);
    // Still ringing or talking: a long call is not a lost one. Check again next round.
    if (report.status !== 'unknown' && !isTerminal(report.status)) return null;
    const status = report.status === 'unknown' ? closingStatus(call) : report.status;
    const result = await store.recordCallEvent({
      callId: call.id,
      callSid: call.twilioCallSid,
      dialCallSid: null,
      sequenceNumber: null,
      source: 'reconciler',
      status,
      occurredAt: clock.now(),
      duration: report.duration ?? null,
      errorCode: report.status === 'unknown' ? 'reconciled' : null,
      errorMessage: report.status === 'unknown' ? UNKNOWN_MESSAGE : null,
      payload: { reportedStatus: report.status, reportedDuration: report.duration ?? null },
      idempotencyKey: `reconciler:${call.id}`,
    });
    if (!result.found) return null;
    if (result.changed) await notifyCallChange(deps, result.organizationId, result.call, result.previousStatus, 'reconciler');
    return result.call.status;
  }

  return {
    /** One pass over the open calls older than the bound. */
    async runOnce(): Promise<ReconcileResult> {
      const olderThan = new Date(clock.now().getTime() - deps.reconcileAfterSeconds * 1000);
      const stale = await store.listStaleCalls(olderThan, deps.batchSize ?? 100);
      const result: ReconcileResult = { checked: stale.length, closed: [], stillOpen: 0, errors: 0 };
      for (const call of stale) {
        try {
          const status = await reconcileCall(call);
          if (status && isTerminal(status)) result.closed.push({ callId: call.id, status });
          else result.stillOpen++;
        } catch (error) {
          result.errors++;
          logger.warn('reconciler.call-failed', { callId: call.id, error: error instanceof Error ? error.message : String(error) });
        }
      }
      if (result.closed.length || result.errors) logger.info('reconciler.pass', { checked: result.checked, closed: result.closed.length, errors: result.errors });
      return result;
    },

    /** Runs a pass every `intervalMs` (the timer does not keep the process alive); returns how to stop. */
    start(intervalMs: number): () => void {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        void this.runOnce()
          .catch((error: unknown) => logger.warn('reconciler.pass-failed', { error: error instanceof Error ? error.message : String(error) }))
          .finally(() => (running = false));
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

export type CallReconciler = ReturnType<typeof createCallReconciler>;

/** How often to look for stale calls: a tenth of the bound, between 5 seconds and 5 minutes. */
export function reconcileIntervalMs(reconcileAfterSeconds: number): number {
  return Math.min(300_000, Math.max(5_000, (reconcileAfterSeconds * 1000) / 10));
}
