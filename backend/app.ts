// Builds the Hono app from injected dependencies (no module-level state), so tests run it in-process with app.request().
import { Hono, type MiddlewareHandler } from 'hono';
import { getPath } from 'hono/utils/url';
import type { AuthService } from './auth/auth-service.js';
import type { CallStatusSource } from './calls/call-reconciler.js';
import type { ServerClosing } from './http/server-closing.js';
import type { AppConfig } from './config.js';
import { errorBody, handleError } from './http/api-error.js';
import type { LiveEvents } from './live/live-events.js';
import type { Logger } from './logger.js';
import { browserFacingApp } from './routes/browser-facing.js';
import { healthRoutes, rootRoutes } from './routes/meta.js';
import { twilioFacingApp } from './routes/twilio-facing.js';
import type { PhoneNumberSource } from './twilio/twilio-phone-numbers.js';
import { TWILIO_WEBHOOK_PREFIX, webhookRoutingPath } from './twilio/webhook-urls.js';
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

export function createApp(deps: AppDeps): Hono {
  const { logger } = deps;
  // Routed by webhookRoutingPath: the webhooks' old /api/twilio paths reach the Twilio-facing app as their /twilio ones,
  // while c.req.url (what the signature covers) stays the URL requested.
  const app = new Hono({ getPath: (request) => webhookRoutingPath(getPath(request)) });

  app.use('*', requestLog(logger));
  // Two audiences, each with its own middleware attached by mount. The browser's (CORS, agent presence) never runs for
  // Twilio's webhooks: besides being useless to Twilio's servers, setting CORS headers after the handler would turn each
  // of node-server's light responses into a full web Response, the busiest routes' largest cost.
  app.route('/api', browserFacingApp(deps));
  app.route(TWILIO_WEBHOOK_PREFIX, twilioFacingApp(deps));
  app.route('/', rootRoutes(deps));
  app.route('/health', healthRoutes(deps));

  // The path as requested, not as routed (an old webhook path is routed by its new one).
  app.notFound((c) => c.json(errorBody('not-found', `There is no ${c.req.method} ${new URL(c.req.url).pathname} on this server.`), 404));
  app.onError(handleError(logger));
  return app;
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
