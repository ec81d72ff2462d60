// Admins change the roles of their organization's agents (`npm run agent:role` while the server runs, or an admin agent).
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { ApiError } from '../http/api-error.js';
import { requireAdmin, type AdminEnv } from '../http/require-admin.js';
import { validate } from '../http/validation.js';

const roleChangeSchema = z.object({
  email: z.email({ message: 'Give the agent\'s email address.' }).max(320),
  role: z.enum(['agent', 'admin'], { message: 'The role must be agent or admin.' }),
});

export function adminAgentRoutes(deps: AppDeps) {
  return new Hono<AdminEnv>().put('/role', requireAdmin(deps), validate('json', roleChangeSchema), async (c) => {
    const { email, role } = c.req.valid('json');
    const { organizationId, agentId } = c.get('admin');
    const changed = await deps.store.setAgentRole(organizationId, email, role);
    if (!changed) throw new ApiError(404, 'no-such-agent', `This organization has no agent with the email ${email}.`);
    deps.logger.info('admin.role-changed', { organizationId, agentId: changed.id, role, by: agentId ?? 'command-line' });
    return c.json({ agent: changed });
  });
}
