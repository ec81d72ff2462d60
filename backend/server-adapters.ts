// Chooses and opens the database, auth and live-event adapters for a configuration: embedded (PGlite) or Supabase.
import type { Clock } from './app.js';
import type { AuthService } from './auth/auth-service.js';
import { createEmbeddedAuth } from './auth/embedded-auth.js';
import { createSupabaseAuth } from './auth/supabase-auth.js';
import type { AppConfig } from './config.js';
import { openEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded-database.js';
import { createPostgresClient } from './db/postgres-client.js';
import { queryLanes } from './db/query-lanes.js';
import type { SqlClient } from './db/sql-client.js';
import { seedDemoAgent } from './demo-seed.js';
import { createLiveEvents, type LiveEvents } from './live/live-events.js';
import { createPostgresLiveEvents } from './live/postgres-live-events.js';
import type { Logger } from './logger.js';
import type { LocalSecrets } from './secrets.js';
import type { CallStore } from './store/call-store.js';
import { createSqlCallStore } from './store/sql-call-store.js';
import { createSupabaseCallStore } from './store/supabase-call-store.js';
import { createServiceClient } from './supabase/service-client.js';
import { sqlRpc, supabaseRpc, type Rpc } from './webhooks/webhook-store.js';

export interface Adapters {
  store: CallStore;
  auth: AuthService;
  live: LiveEvents;
  /** Direct SQL: the embedded database, or DATABASE_URL in Supabase mode; otherwise every call fails with a sentence. */
  db: SqlClient;
  /** The SQL functions by name (the webhook outbox's): `select` on the embedded database, `supabase.rpc` on Supabase. */
  rpc: Rpc;
  /**
   * The same for the webhook delivery worker: on the embedded database (one statement at a time) its statements wait for
   * a moment when no request's is under way, so a backlog of deliveries never queues ahead of Twilio's webhooks.
   */
  backgroundRpc: Rpc;
  migrationsApplied: string[];
  demoAgent: { email: string; password: string; generated: boolean } | null;
  close(): Promise<void>;
}

const noDirectSql: SqlClient = {
  query: () => Promise.reject(new Error('There is no direct SQL connection in Supabase mode without DATABASE_URL.')),
  exec: () => Promise.reject(new Error('There is no direct SQL connection in Supabase mode without DATABASE_URL.')),
  close: () => Promise.resolve(),
};

export async function openAdapters(
  config: AppConfig,
  secrets: LocalSecrets,
  clock: Clock,
  logger: Logger,
  opening?: Promise<EmbeddedDatabase>,
): Promise<Adapters> {
  if (config.database.kind === 'embedded') {
    const opened = await (opening ?? openEmbeddedDatabase(config.dataDir, { thread: config.embeddedDbThread, lock: { purpose: 'server', waitSeconds: config.dataDirLockWaitSeconds } }));
    const { foreground: db, background } = queryLanes(opened);
    const store = createSqlCallStore(db);
    const demoAgent = await seedDemoAgent(db, store, config.demoPassword);
    return {
      store,
      auth: createEmbeddedAuth({ db, store, jwtSecret: secrets.jwtSecret, now: () => clock.now() }),
      live: createLiveEvents(),
      db,
      rpc: sqlRpc(db),
      backgroundRpc: sqlRpc(background),
      migrationsApplied: db.migrations.applied,
      demoAgent,
      close: () => db.close(),
    };
  }

  const { url, serviceRoleKey, jwtSecret, databaseUrl } = config.database;
  const serviceClient = createServiceClient(url, serviceRoleKey);
  const store = createSupabaseCallStore(serviceClient);
  await checkSupabase(store, url);
  const auth = createSupabaseAuth({ url, apiKey: serviceRoleKey, jwtSecret, store, now: () => clock.now() });
  let live: LiveEvents;
  let db: SqlClient = noDirectSql;
  const closers: Array<() => Promise<void>> = [];
  if (databaseUrl) {
    const pgLive = createPostgresLiveEvents(databaseUrl, logger);
    closers.push(() => pgLive.close());
    live = pgLive;
    const direct = createPostgresClient(databaseUrl, { max: 2 });
    closers.push(() => direct.close());
    db = direct;
  } else {
    logger.warn('live.single-instance', { reason: 'DATABASE_URL is not set: live updates reach only the agents connected to this instance.' });
    live = createLiveEvents();
  }
  return {
    store,
    auth,
    live,
    db,
    rpc: supabaseRpc(serviceClient),
    backgroundRpc: supabaseRpc(serviceClient),
    migrationsApplied: [],
    demoAgent: null,
    async close() {
      for (const close of closers) await close();
    },
  };
}

/** Fails start-up with a sentence when Supabase cannot be reached, refuses the key, or lacks the migrations. */
async function checkSupabase(store: CallStore, url: string): Promise<void> {
  try {
    await store.getAgent('00000000-0000-0000-0000-000000000000');
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Supabase at ${url} did not answer as expected (${detail}). Check SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY, and that the migrations in supabase/migrations are applied.`,
      { cause: error },
    );
  }
}
