// `npm run numbers:add -- --org NAME --number E164 [--label L] [--default]`: gives an organization a phone number
// (a caller id agents may choose, and a number that rings its agents) while the server runs.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../config.js';
import { adminRequest, runAdminCommand, runningServer } from './running-server.js';

const USAGE = 'Usage: npm run numbers:add -- --org "Organization" --number +14155550100 [--label "Sales"] [--default]';
const argsSchema = z.object({
  org: z.string({ message: '--org is missing' }).trim().min(1, '--org is missing').max(200),
  number: z.string({ message: '--number is missing' }).trim().min(1, '--number is missing').max(64),
  label: z.string().max(60, '--label is at most 60 characters').optional(),
  default: z.boolean().optional(),
});

runAdminCommand(async () => {
  const { values } = parseArgs({
    options: { org: { type: 'string' }, number: { type: 'string' }, label: { type: 'string' }, default: { type: 'boolean' } },
    strict: true,
  });
  const args = argsSchema.safeParse(values);
  if (!args.success) throw new ConfigError(`${args.error.issues[0]!.message}. ${USAGE}`);
  const server = await runningServer(loadConfig());
  const { number, created } = await adminRequest<{ number: { e164: string; label: string; isDefault: boolean }; created: boolean }>(
    server, args.data.org, 'POST', '/api/admin/phone-numbers',
    { number: args.data.number, label: args.data.label, isDefault: args.data.default ?? false },
  );
  const what = `${number.e164}${number.label ? ` (${number.label})` : ''}`;
  process.stdout.write(`${what} ${created ? 'is now a number of' : 'was already a number of'} ${args.data.org}${number.isDefault ? ', its default caller id' : ''}.\n`);
});
