// Teammates and their presence (Available, Away, Do not disturb chosen; On a call and Offline derived), the agent's
// own choice of presence, and the extension's "still here" while the popup is closed.
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { presenceRequestSchema } from '../../shared/api.js';
import type { AppDeps } from '../app.js';
import { ApiError } from '../http/api-error.js';
import { requireAgent, type AgentEnv } from '../http/require-agent.js';
import { agentSeen } from '../presence/agent-seen.js';

export function agentRoutes(deps: AppDeps) {
  const { auth, store, live, logger } = deps;
  const seen = agentSeen(deps);
  const signedIn = requireAgent(auth, store);
  return new Hono<AgentEnv>()
    .get('/', signedIn, async (c) => {
      await seen.seen(c.get('agent'));
      return c.json({ agents: await store.listAgentPresence(c.get('agent').organizationId) });
    })
    .put(
      '/me/presence',
      signedIn,
      zValidator('json', presenceRequestSchema, (result) => {
        if (!result.success) throw new ApiError(400, 'invalid-presence', 'Choose a presence of available, away or dnd (do not disturb).');
      }),
      async (c) => {
        const agent = c.get('agent');
        const { presence } = c.req.valid('json');
        const updated = await store.setAgentPresence(agent.id, presence);
        if (!updated) throw new ApiError(404, 'not-an-agent', 'This account is no longer an agent of any organization.');
        logger.info('presence.changed', { agentId: agent.id, presence });
        live.publish(agent.organizationId, { type: 'presence', agent: updated });
        return c.json({ agent: updated });
      },
    )
    .post('/me/seen', signedIn, async (c) => {
      await seen.seen(c.get('agent'));
      return c.body(null, 204);
    });
}
