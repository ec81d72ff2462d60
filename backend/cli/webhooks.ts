// `npm run webhooks:add|list|test`: an organization's webhook endpoints, managed over the running server's admin API.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../config.js';
import type { WebhookDelivery, WebhookEndpoint } from '../webhooks/webhook-store.js';
import { CALL_WEBHOOK_EVENTS } from '../webhooks/webhook-payload.js';
import { adminRequest, AdminCommandError, runAdminCommand, runningServer } from './running-server.js';

const USAGE = {
  add: `Usage: npm run webhooks:add -- --org "Organization" --url https://hooks.example.com/calls [--events ${CALL_WEBHOOK_EVENTS.join(',')}] [--description TEXT]`,
  list: 'Usage: npm run webhooks:list -- --org "Organization"',
  test: 'Usage: npm run webhooks:test -- --org "Organization" [--id ENDPOINT_ID]  (without --id: every endpoint)',
};
type Command = keyof typeof USAGE;

const org = z.string({ message: '--org is missing' }).trim().min(1, '--org is missing').max(200);
const schemas = {
  add: z.object({
    org,
    url: z.string({ message: '--url is missing' }).trim().min(1, '--url is missing'),
    events: z
      .string()
      .transform((s) => s.split(',').map((e) => e.trim()).filter(Boolean))
      .pipe(z.array(z.enum(CALL_WEBHOOK_EVENTS, { message: `--events must be a comma-separated list of ${CALL_WEBHOOK_EVENTS.join(', ')}` })).min(1, '--events names no event'))
      .optional(),
    description: z.string().max(200).optional(),
  }),
  list: z.object({ org }),
  test: z.object({ org, id: z.uuid({ message: '--id must be an endpoint id (npm run webhooks:list shows them)' }).optional() }),
};

const describeEndpoint = (e: WebhookEndpoint) =>
  `${e.id}  ${e.enabled ? 'enabled ' : 'DISABLED'}  ${e.url}\n    events: ${e.events.join(', ')}${e.description ? `\n    ${e.description}` : ''}${e.disabledReason ? `\n    ${e.disabledReason}` : ''}`;

runAdminCommand(async () => {
  const { positionals, values } = parseArgs({
    options: { org: { type: 'string' }, url: { type: 'string' }, events: { type: 'string' }, description: { type: 'string' }, id: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const command = positionals[0] as Command;
  if (!(command in USAGE)) throw new ConfigError(`Say what to do: add, list or test. ${Object.values(USAGE).join('\n')}`);
  const parsed = schemas[command].safeParse(values);
  if (!parsed.success) throw new ConfigError(`${parsed.error.issues[0]!.message}. ${USAGE[command]}`);
  const args = parsed.data as { org: string; url?: string; events?: string[]; description?: string; id?: string };
  const server = await runningServer(loadConfig());

  if (command === 'add') {
    const { endpoint, secret } = await adminRequest<{ endpoint: WebhookEndpoint; secret: string }>(server, args.org, 'POST', '/api/admin/webhooks', {
      url: args.url, ...(args.events ? { events: args.events } : {}), ...(args.description ? { description: args.description } : {}),
    });
    process.stdout.write(
      `Webhook endpoint ${endpoint.id} added to ${args.org}: ${endpoint.url}\nEvents: ${endpoint.events.join(', ')}\n` +
        'Its signing secret follows; it is shown only now (rotate it from the options page to get a new one). Give it to your receiver to verify the webhook-signature header:\n' +
        `${secret}\n`,
    );
    return;
  }

  const { endpoints } = await adminRequest<{ endpoints: WebhookEndpoint[] }>(server, args.org, 'GET', '/api/admin/webhooks');
  if (command === 'list') {
    process.stdout.write(endpoints.length ? `${endpoints.map(describeEndpoint).join('\n')}\n` : `${args.org} has no webhook endpoints. Add one with npm run webhooks:add.\n`);
    return;
  }

  const targets = args.id ? endpoints.filter((e) => e.id === args.id) : endpoints;
  if (targets.length === 0) throw new AdminCommandError(args.id ? `${args.org} has no endpoint ${args.id}.` : `${args.org} has no webhook endpoints. Add one with npm run webhooks:add.`);
  let failed = 0;
  for (const endpoint of targets) {
    if (!endpoint.enabled) {
      failed++;
      process.stdout.write(`${endpoint.url}: not pinged: the endpoint is disabled (${endpoint.disabledReason ?? 'by an admin'}). Enable it from the options page.\n`);
      continue;
    }
    const { deliveryId } = await adminRequest<{ deliveryId: number }>(server, args.org, 'POST', `/api/admin/webhooks/${endpoint.id}/ping`);
    // Delivered by the server's worker: wait for its first attempt.
    const until = Date.now() + 30_000;
    let delivery: WebhookDelivery | undefined;
    while (Date.now() < until) {
      const { deliveries } = await adminRequest<{ deliveries: WebhookDelivery[] }>(server, args.org, 'GET', `/api/admin/webhooks/deliveries?endpointId=${endpoint.id}&limit=20`);
      delivery = deliveries.find((d) => d.id === deliveryId);
      if (delivery?.lastAttempt) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const attempt = delivery?.lastAttempt;
    if (attempt?.ok) process.stdout.write(`${endpoint.url}: ping delivered (${attempt.statusCode}, ${attempt.latencyMs} ms).\n`);
    else {
      failed++;
      process.stdout.write(`${endpoint.url}: ping not delivered: ${attempt?.error ?? (endpoint.enabled ? 'no attempt within 30 s.' : 'the endpoint is disabled; enable it from the options page.')}\n`);
    }
  }
  if (failed > 0) process.exitCode = 1;
});
