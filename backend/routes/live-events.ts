// Server-Sent Events: every call change and presence change in the agent's organization, as it happens, on a bounded
// number of streams (per agent and in all), each ended when its access token expires, its session ends or the server
// shuts down; a reader reconnecting with Last-Event-ID gets what it missed first (or `resync`).
import { Hono } from 'hono';
import type { LiveEvent } from '../../shared/api.js';
import type { AppDeps } from '../app.js';
import { ApiError } from '../http/api-error.js';
import { streamEvents } from '../http/event-stream.js';
import { requireAgent, type AgentEnv } from '../http/require-agent.js';
import { createLiveEventLog } from '../live/live-event-log.js';
import { agentSeen } from '../presence/agent-seen.js';

export function liveEventRoutes(deps: AppDeps) {
  const { auth, store, live, config, clock, logger, serverClosing } = deps;
  const seen = agentSeen(deps);
  const limits = config.eventStreams;
  const log = createLiveEventLog(live);
  const perAgent = new Map<string, number>();
  let total = 0;

  return new Hono<AgentEnv>().get('/', requireAgent(auth, store, { allowQueryToken: true }), (c) => {
    const agent = c.get('agent');
    const token = c.get('token');
    const mine = perAgent.get(agent.id) ?? 0;
    if (mine >= limits.perAgent) {
      logger.warn('events.refused', { agentId: agent.id, reason: 'per-agent', open: mine });
      c.header('retry-after', '30');
      throw new ApiError(
        429,
        'too-many-streams',
        `You already have ${limits.perAgent} live update streams open. Close other windows or profiles using the extension, then try again.`,
      );
    }
    if (total >= limits.max) {
      logger.warn('events.refused', { agentId: agent.id, reason: 'server', open: total });
      c.header('retry-after', '60');
      throw new ApiError(429, 'server-busy', 'The server has as many live update streams open as it allows. Try again in a minute.');
    }
    perAgent.set(agent.id, mine + 1);
    total++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      total--;
      const left = (perAgent.get(agent.id) ?? 1) - 1;
      if (left > 0) perAgent.set(agent.id, left);
      else perAgent.delete(agent.id);
    };
    // An open stream is an agent at work: seen now and at every heartbeat (Offline is derived from not being seen).
    void seen.seen(agent);
    try {
      const lastEventId = c.req.header('last-event-id')?.slice(0, 100);
      const missed = lastEventId ? log.missedSince(agent.organizationId, lastEventId) : null;
      return streamEvents<LiveEvent>(c, (push) => log.subscribe(agent.organizationId, ({ id, event }) => push(event, id)), {
        replay: lastEventId ? (missed ?? { resync: true }) : undefined,
        heartbeatMs: limits.heartbeatMs,
        maxQueue: limits.maxQueue,
        check: () => {
          void seen.seen(agent);
          return clock.now().getTime() >= token.expiresAt.getTime() ? 'token-expired' : null;
        },
        endOn: (end) => {
          const offRevoked = auth.revocations.onRevoked((sessionId) => {
            if (sessionId === token.sessionId) end('session-ended');
          });
          // At the token's expiry exactly; the heartbeat's check covers a clock that jumps.
          const timer = setTimeout(() => end('token-expired'), Math.max(0, token.expiresAt.getTime() - clock.now().getTime()));
          timer.unref();
          const offClosing = serverClosing?.onClosing(() => end('server-closing')) ?? (() => undefined);
          return () => {
            offRevoked();
            offClosing();
            clearTimeout(timer);
          };
        },
        onClose: (reason) => {
          release();
          if (reason === 'too-slow') logger.warn('events.dropped', { agentId: agent.id, reason });
        },
      });
    } catch (error) {
      release();
      throw error;
    }
  });
}
