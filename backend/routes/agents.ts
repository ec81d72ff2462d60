// Teammates and their derived presence (available, or on a call with its id and number).
import { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import { requireAgent, type AgentEnv } from '../http/require-agent.js';

export function agentRoutes({ auth, store }: AppDeps) {
  return new Hono<AgentEnv>().get('/', requireAgent(auth, store), async (c) =>
    c.json({ agents: await store.listAgentPresence(c.get('agent').organizationId) }),
  );
}
