// Wires the real adapters for a configuration and serves the app over HTTP; used by `npm run server`, `npm start` and tests.
import type { AddressInfo, LookupFunction } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import { adminCliToken } from './admin/admin-cli-token.js';
import { createApp, type AppDeps, type Clock } from './app.js';
import { createCallReconciler, reconcileIntervalMs } from './calls/call-reconciler.js';
import type { AppConfig } from './config.js';
import type { EmbeddedDatabase } from './db/embedded-database.js';
import type { SqlClient } from './db/sql-client.js';
import { createServerClosing } from './http/server-closing.js';
import { createLogger, type Logger } from './logger.js';
import { loadOrCreateSecrets } from './secrets.js';
import { openAdapters } from './server-adapters.js';
import { openTelephony, type Telephony, type TelephonyOptions } from './telephony/open-telephony.js';
import { startWebhooks } from './webhooks/start-webhooks.js';

export interface RunningBackend {
  url: string;
  app: Hono;
  deps: AppDeps;
  /** The embedded database; in Supabase mode the DATABASE_URL connection, if any (see server-adapters.ts). */
  db: SqlClient;
  demoAgent: { email: string; password: string; generated: boolean } | null;
  /** Twilio or the simulator, as the configuration chose (telephony/open-telephony.ts). */
  telephony: Telephony;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  clock?: Clock;
  /** Adds routes that need the running deps and the telephony side (the demo page). */
  extend?: (deps: AppDeps, app: Hono, telephony: Telephony) => Promise<(() => Promise<void>) | void> | (() => Promise<void>) | void;
  /** The simulator's speed, or a stand-in for Twilio's REST API (tests). */
  telephony?: TelephonyOptions;
  /** The embedded database, already being opened (main.ts starts it first: its set-up overlaps loading the rest). */
  embeddedDatabase?: Promise<EmbeddedDatabase>;
  /** The resolver behind the webhook delivery's address check (tests point host names at addresses). */
  webhookLookup?: LookupFunction;
}

export async function startBackend(config: AppConfig, options: StartOptions = {}): Promise<RunningBackend> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? { now: () => new Date() };
  const secrets = await loadOrCreateSecrets(config.dataDir);
  const adapters = await openAdapters(config, secrets, clock, logger, options.embeddedDatabase);
  const { store, db, demoAgent } = adapters;
  // Listen first so that a free port (PORT=0, in tests) is known before the app, whose public URL depends on it, is built.
  let app: Hono | null = null;
  const { headersTimeoutSeconds, requestTimeoutSeconds, keepAliveTimeoutSeconds, maxConnections } = config.http;
  const server: ServerType = await new Promise((resolve) => {
    const s = serve(
      {
        fetch: (req, env) => (app ? app.fetch(req, env) : new Response('Starting up.', { status: 503 })),
        port: config.port,
        hostname: config.host,
        serverOptions: {
          // Twilio and browsers send a request's headers at once: a client still sending them after this long is holding
          // a connection open on purpose (slowloris) and is cut off.
          headersTimeout: headersTimeoutSeconds * 1000,
          // The whole request (bodies are at most 64 KB); a response, such as a live update stream, may last longer.
          requestTimeout: requestTimeoutSeconds * 1000,
          // Longer than the idle timeout of the proxies usually in front (60 s), so that a proxy never reuses a
          // connection this server is closing; idle connections are cheap and bounded by maxConnections.
          keepAliveTimeout: keepAliveTimeoutSeconds * 1000,
          // How often the two timeouts above are enforced (Node's default, 30 s, would let a slow client hold on for
          // up to 30 s past them).
          connectionsCheckingInterval: 1000,
        },
      },
      () => resolve(s),
    );
    // Below the process's file descriptor limit (often 20,000 here), so the database's files and the outgoing calls to
    // Twilio always have descriptors left: connections past it are closed as they arrive.
    s.maxConnections = maxConnections;
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  const publicBaseUrl = config.port === 0 && config.publicBaseUrl.endsWith(':0') ? url : config.publicBaseUrl;

  const serverClosing = createServerClosing();
  const telephony = openTelephony({ ...config, publicBaseUrl }, secrets, logger, options.telephony);
  const deps: AppDeps = {
    config: { ...config, publicBaseUrl },
    store,
    auth: adapters.auth,
    creds: telephony.creds,
    callControl: telephony.callStatusSource,
    clock,
    live: adapters.live,
    logger,
    adminCliToken: adminCliToken(secrets.jwtSecret),
    serverClosing,
  };
  const webhooks = startWebhooks(config, { requests: adapters.rpc, worker: adapters.backgroundRpc }, logger, options.webhookLookup);
  deps.webhooks = webhooks?.deps;
  const built = createApp(deps);
  const reconciler = createCallReconciler({ store, live: deps.live, logger, clock, source: telephony.callStatusSource, reconcileAfterSeconds: config.reconcileAfterSeconds });
  const stopReconciler = reconciler.start(reconcileIntervalMs(config.reconcileAfterSeconds));
  const closers: Array<() => Promise<void>> = [async () => stopReconciler()];
  if (webhooks) closers.push(webhooks.stop);
  const closer = await options.extend?.(deps, built, telephony);
  if (closer) closers.push(closer);
  // After `extend`, so that middleware it adds (a bench's timing) runs before the telephony side's routes.
  telephony.mount(built, deps);
  // The simulator ends its calls last, so their final callbacks still reach the app.
  closers.push(telephony.close);
  app = built;
  logger.info('server.started', { url, publicBaseUrl, telephony: config.telephony.kind, database: config.database.kind, migrations: adapters.migrationsApplied });

  return {
    url,
    app: built,
    deps,
    db,
    demoAgent,
    telephony,
    async close() {
      for (const close of closers) await close();
      // The calls the simulator ended above have sent their last events; now every stream says the server is closing.
      serverClosing.begin();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // SSE streams keep sockets open; end them so close() returns.
        if ('closeAllConnections' in server) (server as { closeAllConnections(): void }).closeAllConnections();
      });
      await adapters.close();
    },
  };
}
