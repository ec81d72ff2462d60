// `npm run agent:role -- --org NAME --email E --role admin|agent`: makes an agent an admin (or not) while the server runs.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../config.js';
import { adminRequest, runAdminCommand, runningServer } from './running-server.js';

const USAGE = 'Usage: npm run agent:role -- --org "Organization" --email agent@example.com --role admin';
const argsSchema = z.object({
  org: z.string({ message: '--org is missing' }).trim().min(1, '--org is missing').max(200),
  email: z.email({ message: '--email must be an email address' }),
  role: z.enum(['agent', 'admin'], { message: '--role must be agent or admin' }),
});

runAdminCommand(async () => {
  const { values } = parseArgs({ options: { org: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' } }, strict: true });
  const args = argsSchema.safeParse(values);
  if (!args.success) throw new ConfigError(`${args.error.issues[0]!.message}. ${USAGE}`);
  const server = await runningServer(loadConfig());
  const { agent } = await adminRequest<{ agent: { email: string; displayName: string; role: string } }>(server, args.data.org, 'PUT', '/api/admin/agents/role', {
    email: args.data.email,
    role: args.data.role,
  });
  process.stdout.write(`${agent.displayName} (${agent.email}) is now ${agent.role === 'admin' ? 'an admin' : 'an agent'} of ${args.data.org}.\n`);
});
