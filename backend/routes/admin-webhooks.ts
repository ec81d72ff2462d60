// Admins manage their organization's webhook endpoints: add (the secret is shown once), list, remove, rotate the secret,
// enable or disable, send a test ping, and read recent deliveries (`npm run webhooks:*` or an admin agent).
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { ApiError } from '../http/api-error.js';
import { requireAdmin, type AdminEnv } from '../http/require-admin.js';
import { validate } from '../http/validation.js';
import { CALL_WEBHOOK_EVENTS, WEBHOOK_EVENT_DESCRIPTIONS } from '../webhooks/webhook-payload.js';
import { newWebhookSecret } from '../webhooks/webhook-sender.js';
import { checkEndpointUrl, WebhookTargetError } from '../webhooks/webhook-targets.js';

/** Endpoints one organization may have. */
const MAX_ENDPOINTS = 20;

const endpointInput = z.object({
  url: z.string({ message: 'Give the endpoint\'s URL.' }).trim().min(1, 'Give the endpoint\'s URL.').max(2000, 'The endpoint URL is longer than 2,000 characters.'),
  events: z
    .array(z.enum(CALL_WEBHOOK_EVENTS, { message: `Events must be among ${CALL_WEBHOOK_EVENTS.join(', ')}.` }))
    .min(1, 'Choose at least one event.')
    .max(CALL_WEBHOOK_EVENTS.length)
    .transform((events) => [...new Set(events)])
    .default([...CALL_WEBHOOK_EVENTS]),
  description: z.string().trim().max(200, 'The description is longer than 200 characters.').default(''),
});
const idParam = z.object({ id: z.uuid({ message: 'There is no such endpoint.' }) });
const enabledInput = z.object({ enabled: z.boolean({ message: 'Say whether the endpoint is enabled (true or false).' }) });
const deliveriesQuery = z.object({
  endpointId: z.uuid({ message: 'There is no such endpoint.' }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const notFound = () => new ApiError(404, 'no-such-endpoint', 'This organization has no such webhook endpoint: list them with npm run webhooks:list or in the options page.');

export function adminWebhookRoutes(deps: AppDeps) {
  const hooks = () => {
    if (!deps.webhooks) throw new ApiError(503, 'webhooks-unavailable', 'Webhooks are not available on this server: it has no database functions for them.');
    return deps.webhooks;
  };
  return new Hono<AdminEnv>()
    .use('*', requireAdmin(deps))
    .get('/', async (c) => {
      const endpoints = await hooks().store.listEndpoints(c.get('admin').organizationId);
      return c.json({ endpoints, events: [...CALL_WEBHOOK_EVENTS].map((type) => ({ type, description: WEBHOOK_EVENT_DESCRIPTIONS[type] })) });
    })
    .post('/', validate('json', endpointInput), async (c) => {
      const { url, events, description } = c.req.valid('json');
      const { organizationId, agentId } = c.get('admin');
      const { store, policy } = hooks();
      try {
        checkEndpointUrl(url, policy);
      } catch (error) {
        if (error instanceof WebhookTargetError) throw new ApiError(400, 'webhook-url-refused', error.message);
        throw error;
      }
      if ((await store.listEndpoints(organizationId)).length >= MAX_ENDPOINTS) {
        throw new ApiError(409, 'too-many-endpoints', `An organization may have at most ${MAX_ENDPOINTS} webhook endpoints: remove one first.`);
      }
      const secret = newWebhookSecret();
      const endpoint = await store.addEndpoint(organizationId, { url, events, description, secret });
      deps.logger.info('admin.webhook-added', { organizationId, endpointId: endpoint.id, events, by: agentId ?? 'command-line' });
      // The secret is in this answer only: it is never shown again (rotate it to get a new one).
      return c.json({ endpoint, secret }, 201);
    })
    .get('/deliveries', validate('query', deliveriesQuery), async (c) => {
      const { endpointId, limit } = c.req.valid('query');
      return c.json({ deliveries: await hooks().store.listDeliveries(c.get('admin').organizationId, endpointId ?? null, limit) });
    })
    .delete('/:id', validate('param', idParam), async (c) => {
      const { organizationId, agentId } = c.get('admin');
      const { id } = c.req.valid('param');
      if (!(await hooks().store.removeEndpoint(organizationId, id))) throw notFound();
      deps.logger.info('admin.webhook-removed', { organizationId, endpointId: id, by: agentId ?? 'command-line' });
      return c.json({ removed: true });
    })
    .post('/:id/rotate', validate('param', idParam), async (c) => {
      const { organizationId, agentId } = c.get('admin');
      const { id } = c.req.valid('param');
      const secret = newWebhookSecret();
      const endpoint = await hooks().store.rotateSecret(organizationId, id, secret);
      if (!endpoint) throw notFound();
      deps.logger.info('admin.webhook-secret-rotated', { organizationId, endpointId: id, by: agentId ?? 'command-line' });
      return c.json({ endpoint, secret });
    })
    .post('/:id/enabled', validate('param', idParam), validate('json', enabledInput), async (c) => {
      const { organizationId } = c.get('admin');
      const endpoint = await hooks().store.setEnabled(organizationId, c.req.valid('param').id, c.req.valid('json').enabled);
      if (!endpoint) throw notFound();
      hooks().wake();
      return c.json({ endpoint });
    })
    .post('/:id/ping', validate('param', idParam), async (c) => {
      const deliveryId = await hooks().store.ping(c.get('admin').organizationId, c.req.valid('param').id);
      if (deliveryId === null) throw notFound();
      hooks().wake();
      return c.json({ deliveryId }, 202);
    });
}
