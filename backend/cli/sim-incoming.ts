// `npm run sim:incoming -- --from E164 [--to E164] [--org NAME]`: the simulated Twilio places a call from --from to
// one of the organization's numbers (its default without --to), through the running server's real inbound webhooks.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../config.js';
import { adminRequest, runAdminCommand, runningServer } from './running-server.js';

const USAGE = 'Usage: npm run sim:incoming -- --from +14155550123 [--to +14155550100] [--org "Demo"]';
const E164 = /^\+[1-9]\d{6,14}$/;
const argsSchema = z.object({
  from: z.string({ message: '--from is missing' }).regex(E164, '--from must be a number in E.164, such as +14155550123'),
  to: z.string().regex(E164, '--to must be a number in E.164, such as +14155550100').optional(),
  org: z.string().trim().min(1).max(200).default('Demo'),
});

runAdminCommand(async () => {
  const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, org: { type: 'string' } }, strict: true });
  const args = argsSchema.safeParse(values);
  if (!args.success) throw new ConfigError(`${args.error.issues[0]!.message}. ${USAGE}`);
  const config = loadConfig();
  if (config.telephony.kind !== 'simulated') throw new ConfigError('sim:incoming plays a call in simulated mode only: with a Twilio account, call the number from a phone.');
  const server = await runningServer(config);
  const placed = await adminRequest<{ callSid: string; from: string; to: string }>(server, args.data.org, 'POST', '/api/sim/incoming', { from: args.data.from, to: args.data.to });
  process.stdout.write(`Calling ${placed.to} from ${placed.from} (${placed.callSid}): the available agents of ${args.data.org} are ringing.\n`);
});
