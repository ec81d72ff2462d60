// After a call changes: one log line, a live `call` event to the organization and, when presence changed (and someone
// listens), a `presence` event.
import type { Call } from '../../shared/api.js';
import { isTerminal, type CallStatus } from '../../shared/call-status.js';
import type { LiveEvents } from '../live/live-events.js';
import type { Logger } from '../logger.js';
import type { CallStore } from '../store/call-store.js';

export interface CallNotifierDeps {
  store: CallStore;
  live: LiveEvents;
  logger: Logger;
}

export async function notifyCallChange(
  { store, live, logger }: CallNotifierDeps,
  organizationId: string,
  call: Call,
  previousStatus: CallStatus | null,
  source: string,
): Promise<void> {
  logger.info('call.transition', { callId: call.id, from: previousStatus, to: call.status, source, duration: call.duration });
  live.publish(organizationId, { type: 'call', call });
  const wasOpen = previousStatus !== null && !isTerminal(previousStatus);
  const isOpen = !isTerminal(call.status);
  // The presence lookup is only for the live event: skipped when no one in the organization is listening.
  if (call.assignedTo && wasOpen !== isOpen && (live.hasListeners?.(organizationId) ?? true)) {
    const agentId = call.assignedTo;
    const agent = store.getAgentPresence
      ? await store.getAgentPresence(agentId)
      : (await store.listAgentPresence(organizationId)).find((a) => a.id === agentId);
    if (agent) live.publish(organizationId, { type: 'presence', agent });
  }
}
