// Builds the Hono app from injected dependencies (no module-level state), so tests run it in-process with app.request().
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { AuthService } from './auth/auth-service.js';
import type { CallStatusSource } from './calls/call-reconciler.js';
import type { ServerClosing } from './http/server-closing.js';
import type { AppConfig } from './config.js';
import { errorBody, handleError } from './http/api-error.js';
import type { LiveEvents } from './live/live-events.js';
import type { Logger } from './logger.js';
import { adminAgentRoutes } from './routes/admin-agents.js';
import { agentSeen } from './presence/agent-seen.js';
import type { StoredAgent } from './store/call-store.js';
import { adminWebhookRoutes } from './routes/admin-webhooks.js';
import { agentRoutes } from './routes/agents.js';
import { authRoutes } from './routes/auth.js';
import { callRoutes } from './routes/calls.js';
import { liveEventRoutes } from './routes/live-events.js';
import { configRoutes, healthRoutes, rootRoutes } from './routes/meta.js';
import { twilioTokenRoutes } from './routes/twilio-token.js';
import { twilioWebhookRoutes } from './routes/twilio-webhooks.js';
import { callRecordingRoutes } from './routes/call-recordings.js';
import { adminPhoneNumberRoutes, phoneNumberRoutes } from './routes/phone-numbers.js';
import { softphoneRoutes } from './routes/softphone-registration.js';
import { twilioInboundRoutes } from './routes/twilio-inbound.js';
import type { PhoneNumberSource } from './twilio/twilio-phone-numbers.js';
import { adminOutcomeRoutes, wrapUpRoutes } from './routes/wrapups.js';
import { callExportRoutes } from './routes/call-export.js';
import type { CallStore } from './store/call-store.js';
import type { TwilioCredentials } from './telephony/credentials.js';
import type { WebhookStore } from './webhooks/webhook-store.js';
import type { TargetPolicy } from './webhooks/webhook-targets.js';

export type AppSettings = Pick<
  AppConfig,
  | 'publicBaseUrl'
  | 'telephony'
  | 'database'
  | 'defaultCountry'
  | 'allowedCountries'
  | 'allowedOrigins'
  | 'rateLimit'
  | 'maxCallMinutes'
  | 'eventStreams'
  | 'loginThrottle'
  | 'trustProxy'
  | 'orgDailyCallLimit'
  | 'blockedRanges'
  | 'twilioEdge'
>;

export interface Clock {
  now(): Date;
}

export interface AppDeps {
  config: AppSettings;
  store: CallStore;
  auth: AuthService;
  creds: TwilioCredentials;
  clock: Clock;
  live: LiveEvents;
  logger: Logger;
  /** The token the server's own command line presents (admin-cli-token.ts); without it, only admin agents manage. */
  adminCliToken?: string;
  /**
   * Twilio's REST API (or the simulator playing it), for ending a call from the server. Set once the telephony side is
   * attached, after the app is built, so routes read it when a request comes.
   */
  callControl?: CallStatusSource;
  /** Fired when the server begins a graceful shutdown, so streams can say so to their readers. */
  serverClosing?: ServerClosing;
  /** Where the admin import finds the Twilio account's numbers (tests); Twilio's REST API in Twilio mode by default. */
  phoneNumberSource?: PhoneNumberSource;
  /** Outgoing webhooks: the outbox's functions, where endpoints may point, and a nudge for the delivery worker. */
  webhooks?: { store: WebhookStore; policy: TargetPolicy; wake(): void };
}

export const MAX_BODY_BYTES = 64 * 1024;

/** The paths of twilioWebhookRoutes as mounted below (Voice URL, status callback, <Dial action>). */
const isTwilioWebhook = (path: string) =>
  /^\/api\/twilio\/(?:outbound(?:-events|-status)?|inbound(?:-status|-dial|-client-events|-voicemail|-recording)?)\/?$/.test(path);

export function createApp(deps: AppDeps): Hono {
  const { config, logger } = deps;
  const app = new Hono();

  app.use('*', requestLog(logger));
  const apiCors = cors({
    origin: (origin) => (config.allowedOrigins.includes(origin) || origin === new URL(config.publicBaseUrl).origin ? origin : null),
    allowHeaders: ['Authorization', 'Content-Type'],
    allowMethods: ['GET', 'POST', 'PUT', 'OPTIONS'],
    maxAge: 600,
  });
  // Twilio's webhooks come from Twilio's servers, never from a page, so they get no CORS headers: setting them after the
  // handler would also turn each of node-server's light responses into a full web Response, the busiest routes' largest cost.
  app.use('/api/*', (c, next) => (isTwilioWebhook(c.req.path) ? next() : apiCors(c, next)));
  app.use('*', requestBodyLimit());
  // Any request an agent's token let through is the agent at work: what Offline is derived from (presence/agent-seen.ts).
  const seen = agentSeen(deps);
  app.use('/api/*', async (c, next) => {
    await next();
    const agent = (c.var as { agent?: StoredAgent }).agent;
    if (agent) void seen.seen(agent);
  });

  app.route('/', rootRoutes(deps));
  app.route('/health', healthRoutes(deps));
  app.route('/api/config', configRoutes(deps));
  app.route('/api/auth', authRoutes(deps));
  app.route('/api/twilio', twilioTokenRoutes(deps));
  app.route('/api/twilio', twilioWebhookRoutes(deps));
  app.route('/api/calls', callRoutes(deps));
  app.route('/api/agents', agentRoutes(deps));
  app.route('/api/events', liveEventRoutes(deps));
  app.route('/api/admin/agents', adminAgentRoutes(deps));
  app.route('/api/twilio', twilioInboundRoutes(deps));
  app.route('/api/phone-numbers', phoneNumberRoutes(deps));
  app.route('/api/admin/phone-numbers', adminPhoneNumberRoutes(deps));
  app.route('/api/softphone', softphoneRoutes(deps));
  app.route('/api/calls', callRecordingRoutes(deps));
  app.route('/api/wrapups', wrapUpRoutes(deps));
  app.route('/api/admin', adminOutcomeRoutes(deps));
  app.route('/api/calls/export', callExportRoutes(deps));
  app.route('/api/admin/webhooks', adminWebhookRoutes(deps));

  app.notFound((c) => c.json(errorBody('not-found', `There is no ${c.req.method} ${c.req.path} on this server.`), 404));
  app.onError(handleError(logger));
  return app;
}

/**
 * Refuses bodies over MAX_BODY_BYTES with 413. A declared Content-Length (without Transfer-Encoding; Node's parser then
 * reads exactly that many bytes) is checked from the header alone, as hono's bodyLimit does, but without touching
 * `c.req.raw.body`, which on @hono/node-server turns the light request into a full web Request and stream for every
 * request; anything else (chunked bodies) goes through hono's bodyLimit, which counts the bytes as they arrive.
 */
function requestBodyLimit(): MiddlewareHandler {
  const tooLarge = (c: Context) => c.json(errorBody('payload-too-large', `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`), 413);
  const counting = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (!/^\d+$/.test(length.trim())) return counting(c, next);
      return Number(length.trim()) > MAX_BODY_BYTES ? tooLarge(c) : next();
    }
    return counting(c, next);
  };
}

/** One log line per request: method, path without the query (it may hold a token), status and time. */
function requestLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    logger.info('http.request', {
      method: c.req.method,
      path: c.req.path.slice(0, 200),
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  };
}
