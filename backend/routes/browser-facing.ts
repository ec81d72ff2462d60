// The browser-facing sub-app: what the extension, the admin's pages and the demo page call, with CORS for the allowed
// origins and each agent's presence noted; routes that need a signed-in agent or admin check it themselves.
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { AppDeps } from '../app.js';
import { requestBodyLimit } from '../http/body-limit.js';
import { agentSeen } from '../presence/agent-seen.js';
import type { StoredAgent } from '../store/call-store.js';
import { adminAgentRoutes } from './admin-agents.js';
import { adminWebhookRoutes } from './admin-webhooks.js';
import { agentRoutes } from './agents.js';
import { authRoutes } from './auth.js';
import { callExportRoutes } from './call-export.js';
import { callRecordingRoutes } from './call-recordings.js';
import { callRoutes } from './calls.js';
import { liveEventRoutes } from './live-events.js';
import { configRoutes } from './meta.js';
import { adminPhoneNumberRoutes, phoneNumberRoutes } from './phone-numbers.js';
import { softphoneRoutes } from './softphone-registration.js';
import { twilioTokenRoutes } from './twilio-token.js';
import { adminOutcomeRoutes, wrapUpRoutes } from './wrapups.js';

/**
 * Mounted at /api (app.ts). Its middleware also covers routes the root app adds under /api later (the simulator's
 * /api/sim), as Hono applies a mounted app's middleware by path.
 */
export function browserFacingApp(deps: AppDeps): Hono {
  const { config } = deps;
  const app = new Hono();
  app.use(
    '*',
    cors({
      origin: (origin) => (config.allowedOrigins.includes(origin) || origin === new URL(config.publicBaseUrl).origin ? origin : null),
      allowHeaders: ['Authorization', 'Content-Type'],
      allowMethods: ['GET', 'POST', 'PUT', 'OPTIONS'],
      maxAge: 600,
    }),
  );
  // After CORS, so that a page can read the 413's message.
  app.use('*', requestBodyLimit());
  // Any request an agent's token let through is the agent at work: what Offline is derived from (presence/agent-seen.ts).
  const seen = agentSeen(deps);
  app.use('*', async (c, next) => {
    await next();
    const agent = (c.var as { agent?: StoredAgent }).agent;
    if (agent) void seen.seen(agent);
  });

  app.route('/config', configRoutes(deps));
  app.route('/auth', authRoutes(deps));
  // The softphone's Voice token; the webhooks once beside it are the Twilio-facing app's (webhook-urls.ts).
  app.route('/twilio', twilioTokenRoutes(deps));
  app.route('/calls', callRoutes(deps));
  app.route('/agents', agentRoutes(deps));
  app.route('/events', liveEventRoutes(deps));
  app.route('/admin/agents', adminAgentRoutes(deps));
  app.route('/phone-numbers', phoneNumberRoutes(deps));
  app.route('/admin/phone-numbers', adminPhoneNumberRoutes(deps));
  app.route('/softphone', softphoneRoutes(deps));
  app.route('/calls', callRecordingRoutes(deps));
  app.route('/wrapups', wrapUpRoutes(deps));
  app.route('/admin', adminOutcomeRoutes(deps));
  app.route('/calls/export', callExportRoutes(deps));
  app.route('/admin/webhooks', adminWebhookRoutes(deps));
  return app;
}
