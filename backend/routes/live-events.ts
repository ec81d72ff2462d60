// Server-Sent Events: every call change and presence change in the agent's organization, as it happens.
import { Hono } from 'hono';
import type { LiveEvent } from '../../shared/api.js';
import type { AppDeps } from '../app.js';
import { streamEvents } from '../http/event-stream.js';
import { requireAgent, type AgentEnv } from '../http/require-agent.js';

export function liveEventRoutes({ auth, store, live }: AppDeps) {
  return new Hono<AgentEnv>().get('/', requireAgent(auth, store, { allowQueryToken: true }), (c) =>
    streamEvents<LiveEvent>(c, (push) => live.subscribe(c.get('agent').organizationId, push)),
  );
}
