// Builds the real app on an in-memory embedded database for in-process tests, with agents in two organizations and a settable clock.
import { randomBytes } from 'node:crypto';
import { adminCliToken } from '../../../backend/admin/admin-cli-token.js';
import { createApp, type AppDeps } from '../../../backend/app.js';
import { addEmbeddedAgent, createEmbeddedAuth } from '../../../backend/auth/embedded-auth.js';
import type { AppConfig } from '../../../backend/config.js';
import { openEmbeddedDatabase } from '../../../backend/db/embedded-database.js';
import type { SqlClient } from '../../../backend/db/sql-client.js';
import { createLiveEvents } from '../../../backend/live/live-events.js';
import { silentLogger } from '../../../backend/logger.js';
import { generateSecrets } from '../../../backend/secrets.js';
import { createSqlCallStore } from '../../../backend/store/sql-call-store.js';
import type { StoredAgent } from '../../../backend/store/call-store.js';
import { identityForAgent } from '../../../backend/twilio/agent-identity.js';
import { twilioSignature } from '../../../backend/twilio/request-signature.js';
import { TWILIO_WEBHOOK_PREFIX } from '../../../backend/twilio/webhook-urls.js';
import { loadConfig } from '../../../backend/config.js';
import { openTelephony } from '../../../backend/telephony/open-telephony.js';
import { createWebhookStore, sqlRpc } from '../../../backend/webhooks/webhook-store.js';

export const PUBLIC_BASE_URL = 'https://calls.example.test';
export const PASSWORD = 'correct horse battery staple';

export interface TestBackend {
  deps: AppDeps;
  app: ReturnType<typeof createApp>;
  db: SqlClient;
  /** The secret the embedded auth signs access tokens with (to build a second auth over the same database). */
  jwtSecret: string;
  agents: { alice: StoredAgent; bob: StoredAgent; eve: StoredAgent };
  clock: { now(): Date; set(d: Date): void; advance(ms: number): void };
  login(email: string): Promise<string>;
  /** A signed Twilio webhook request to `pathAndQuery`, as Twilio would send it. */
  twilio(pathAndQuery: string, form: Record<string, string>, options?: { signature?: string; url?: string }): Promise<Response>;
  /** The Voice URL request the Voice SDK's connect() causes. */
  placeCall(agent: StoredAgent, to: string, extra?: Record<string, string>): Promise<{ response: Response; twiml: string; callId: string | null; callSid: string }>;
  count(table: 'calls' | 'call_events'): Promise<number>;
  close(): Promise<void>;
}

export function callSid(): string {
  return `CA${randomBytes(16).toString('hex')}`;
}

export interface TestBackendOptions {
  /** A migrated database to run on (e.g. a PostgreSQL 15 server); an in-memory embedded one by default. Closed by close(). */
  db?: SqlClient;
}

export async function createTestBackend(env: Record<string, string> = {}, options: TestBackendOptions = {}): Promise<TestBackend> {
  const config: AppConfig = loadConfig({ PUBLIC_BASE_URL, LOG_LEVEL: 'silent', ...env });
  const db = options.db ?? (await openEmbeddedDatabase(null));
  const store = createSqlCallStore(db);
  let now = new Date('2026-11-24T12:00:00.000Z');
  const clock = { now: () => new Date(now), set: (d: Date) => void (now = d), advance: (ms: number) => void (now = new Date(now.getTime() + ms)) };
  const secrets = generateSecrets();
  // The same telephony side as the server's (simulated unless env names a Twilio account), its routes included.
  const telephony = openTelephony(config, secrets, silentLogger);
  const deps: AppDeps = {
    config,
    store,
    auth: createEmbeddedAuth({ db, store, jwtSecret: secrets.jwtSecret, now: clock.now }),
    creds: telephony.creds,
    clock,
    live: createLiveEvents(),
    logger: silentLogger,
    adminCliToken: adminCliToken(secrets.jwtSecret),
    webhooks: config.webhooks && { store: createWebhookStore(sqlRpc(db)), policy: config.webhooks, wake: () => undefined },
  };
  const app = createApp(deps);
  telephony.mount(app, deps);
  const add = (email: string, org: string, name: string) =>
    addEmbeddedAgent(db, store, { email, password: PASSWORD, displayName: name, organizationName: org });
  const agents = {
    alice: await add('alice@acme.test', 'Acme', 'Alice Archer'),
    bob: await add('bob@acme.test', 'Acme', 'Bob Baker'),
    eve: await add('eve@globex.test', 'Globex', 'Eve Evans'),
  };

  async function twilio(pathAndQuery: string, form: Record<string, string>, options: { signature?: string; url?: string } = {}) {
    const url = options.url ?? `${PUBLIC_BASE_URL}${pathAndQuery}`;
    const signature = options.signature ?? twilioSignature(deps.creds.authToken, url, form);
    return app.request(pathAndQuery, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(form).toString(),
    });
  }

  return {
    deps,
    app,
    db,
    jwtSecret: secrets.jwtSecret,
    agents,
    clock,
    async login(email) {
      const res = await app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { accessToken: string }).accessToken;
    },
    twilio,
    async placeCall(agent, to, extra = {}) {
      // Calls happen some time apart, as they would, which keeps history order and the rate limit realistic.
      clock.advance(20_000);
      const sid = callSid();
      const response = await twilio(`${TWILIO_WEBHOOK_PREFIX}/outbound`, {
        AccountSid: deps.creds.accountSid,
        ApplicationSid: deps.creds.twimlAppSid,
        CallSid: sid,
        From: `client:${identityForAgent(agent.id)}`,
        To: to,
        Caller: `client:${identityForAgent(agent.id)}`,
        Direction: 'inbound',
        ApiVersion: '2010-04-01',
        ...extra,
      });
      const twiml = await response.text();
      const callId = /callId=([0-9a-f-]{36})/.exec(twiml)?.[1] ?? null;
      return { response, twiml, callId, callSid: sid };
    },
    async count(table) {
      const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from public.${table}`);
      return rows[0]!.n;
    },
    async close() {
      await telephony.close();
      await db.close();
    },
  };
}
