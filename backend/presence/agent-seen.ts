// When the backend last saw each agent (a request, a live stream still open): what Offline is derived from. Written at
// most once per SEEN_EVERY_MS per agent; an agent who comes back online is announced to teammates at once.
import type { AppDeps } from '../app.js';

/** How often an agent's last-seen time is written while they keep using the backend. */
const SEEN_EVERY_MS = 20_000;

export interface AgentSeen {
  /** Notes that the agent was seen now; resolves once written (or skipped as too soon). */
  seen(agent: { id: string; organizationId: string }): Promise<void>;
  /** Signed out: offline at once, and teammates told. */
  gone(agent: { id: string; organizationId: string }): Promise<void>;
}

const trackers = new WeakMap<object, AgentSeen>();

/** The app's one tracker (every route of one createApp shares it). */
export function agentSeen(deps: Pick<AppDeps, 'store' | 'live' | 'clock' | 'logger'>): AgentSeen {
  let tracker = trackers.get(deps.store);
  if (tracker) return tracker;
  const { store, live, clock, logger } = deps;
  const written = new Map<string, number>();
  const announce = async (agent: { id: string; organizationId: string }) => {
    if (!(live.hasListeners?.(agent.organizationId) ?? true)) return;
    const presence = store.getAgentPresence ? await store.getAgentPresence(agent.id) : (await store.listAgentPresence(agent.organizationId)).find((a) => a.id === agent.id);
    if (presence) live.publish(agent.organizationId, { type: 'presence', agent: presence });
  };
  tracker = {
    async seen(agent) {
      const now = clock.now();
      const last = written.get(agent.id);
      if (last !== undefined && now.getTime() - last < SEEN_EVERY_MS) return;
      written.set(agent.id, now.getTime());
      try {
        if (await store.noteAgentSeen(agent.id)) await announce(agent);
      } catch (error) {
        // Presence is a hint for teammates: a failed write never fails the agent's own request.
        written.delete(agent.id);
        logger.warn('presence.seen-failed', { agentId: agent.id, error: error instanceof Error ? error.message : String(error) });
      }
    },
    async gone(agent) {
      written.delete(agent.id);
      await store.noteAgentGone(agent.id);
      await announce(agent);
    },
  };
  trackers.set(deps.store, tracker);
  return tracker;
}
