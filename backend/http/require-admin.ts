// Middleware: an admin of an organization, either a signed-in agent whose role is admin or the server's own command
// line (the admin token derived from DATA_DIR's secrets, plus the organization's name); sets `admin`.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { ADMIN_CLI_ORGANIZATION_HEADER, ADMIN_CLI_TOKEN_HEADER, sameToken } from '../admin/admin-cli-token.js';
import type { AppDeps } from '../app.js';
import { ApiError } from './api-error.js';
import { requireAgent, type AgentEnv } from './require-agent.js';

export interface AdminActor {
  organizationId: string;
  /** The admin agent; null for the command line. */
  agentId: string | null;
}

export type AdminEnv = { Variables: { admin: AdminActor } };

export function requireAdmin({ auth, store, adminCliToken }: Pick<AppDeps, 'auth' | 'store' | 'adminCliToken'>) {
  const asAgent = requireAgent(auth, store);
  return createMiddleware<AdminEnv>(async (c, next) => {
    const cliToken = c.req.header(ADMIN_CLI_TOKEN_HEADER);
    if (cliToken !== undefined) {
      if (!adminCliToken || !sameToken(cliToken, adminCliToken)) {
        throw new ApiError(401, 'invalid-admin-token', 'The admin token is not this server\'s: run the command on the machine the server runs on, with the same DATA_DIR.');
      }
      const name = c.req.header(ADMIN_CLI_ORGANIZATION_HEADER)?.trim();
      if (!name) throw new ApiError(400, 'organization-required', 'Say which organization: pass --org with its name.');
      const organization = await store.findOrganization(name);
      if (!organization) throw new ApiError(404, 'no-such-organization', `There is no organization named "${name}". Add an agent to it first with npm run agent:add.`);
      c.set('admin', { organizationId: organization.id, agentId: null });
      return next();
    }
    // The agent check sets its own variables on the same context; only `admin` is read after this middleware.
    const agentContext = c as unknown as Context<AgentEnv>;
    return asAgent(agentContext, async () => {
      const agent = agentContext.get('agent');
      if ((await store.getAgentRole(agent.id)) !== 'admin') {
        throw new ApiError(403, 'not-an-admin', 'Only an admin of your organization can change this. Ask an admin to make the change, or to make you an admin.');
      }
      c.set('admin', { organizationId: agent.organizationId, agentId: agent.id });
      await next();
    });
  });
}
