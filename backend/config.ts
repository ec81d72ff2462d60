// Reads and validates the backend's configuration from the environment; a bad value stops start-up with one line naming it.
import { z } from 'zod';
import { countryCodeSchema, TWILIO_EDGES } from '../shared/api.js';
import { blockedRanges, DEFAULT_BLOCKED_RANGES, DEFAULT_ORG_DAILY_CALL_LIMIT, type BlockedRange } from './twilio/call-guard.js';
import { webhookSettings, type WebhookSettings } from './webhooks/webhook-config.js';

const optional = (schema: z.ZodType<string>) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const sid = (prefix: string) =>
  z.string().trim().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `must start with ${prefix} followed by 32 hexadecimal characters`);

const countryList = z
  .string()
  .transform((s) => s.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean))
  .pipe(z.array(countryCodeSchema).min(1, 'must name at least one country'));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3003),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PUBLIC_BASE_URL: optional(z.url({ message: 'must be an absolute URL such as https://calls.example.com' })),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  // How long a starting server waits for another process to release DATA_DIR (a rolling restart) before refusing.
  DATA_DIR_LOCK_WAIT_SECONDS: z.coerce.number().int().min(0).max(600).default(15),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  EMBEDDED_DB_THREAD: z.enum(['worker', 'inline']).default('worker'),
  TWILIO_ACCOUNT_SID: optional(sid('AC')),
  TWILIO_AUTH_TOKEN: optional(z.string().trim().regex(/^[0-9a-fA-F]{32}$/, 'must be the 32-character auth token')),
  TWILIO_API_KEY: optional(sid('SK')),
  TWILIO_API_SECRET: optional(z.string().trim().min(16, 'must be the API key secret')),
  TWILIO_TWIML_APP_SID: optional(sid('AP')),
  TWILIO_PHONE_NUMBER: optional(z.string().trim().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +14155550100')),
  TWILIO_EDGE: optional(z.string().trim().toLowerCase().pipe(z.enum(TWILIO_EDGES, { message: `must be one of Twilio's edges: ${TWILIO_EDGES.join(', ')}` }))),
  SUPABASE_URL: optional(z.url()),
  SUPABASE_SERVICE_ROLE_KEY: optional(z.string().trim().min(20)),
  SUPABASE_JWT_SECRET: optional(z.string().trim().min(16)),
  DATABASE_URL: optional(
    z.string().trim().regex(/^postgres(ql)?:\/\/\S+$/, 'must be a PostgreSQL connection string such as postgresql://postgres:PASSWORD@db.PROJECT.supabase.co:5432/postgres'),
  ),
  DEFAULT_COUNTRY: z.string().trim().toUpperCase().pipe(countryCodeSchema).default('US'),
  ALLOWED_COUNTRIES: countryList.default(['US', 'CA']),
  ALLOWED_ORIGINS: z
    .string()
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^(https?|chrome-extension):\/\/[^/\s]+$/, 'must be a comma-separated list of origins such as chrome-extension://abcdef…')))
    .default([]),
  DEMO_PASSWORD: optional(z.string().min(8, 'must be at least 8 characters')),
  RATE_LIMIT_CALLS: z.coerce.number().int().min(1).default(20),
  // Live update streams (/api/events): in all, per agent, and events queued for one slow reader before it is dropped.
  MAX_EVENT_STREAMS: z.coerce.number().int().min(1).default(1000),
  MAX_EVENT_STREAMS_PER_AGENT: z.coerce.number().int().min(1).default(5),
  EVENT_STREAM_QUEUE: z.coerce.number().int().min(1).default(256),
  // Failed sign-ins allowed before each further one blocks for 1, 2, 4… seconds (up to 15 minutes).
  LOGIN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  // Behind a reverse proxy: read the client's address from the last X-Forwarded-For entry.
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  // The HTTP server's connection hygiene (server.ts says why each is what it is).
  HTTP_HEADERS_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  HTTP_REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(65),
  MAX_CONNECTIONS: z.coerce.number().int().min(1).default(10_000),
  // The longest a call may last (<Dial timeLimit>): Twilio's own default is 4 hours.
  MAX_CALL_MINUTES: z.coerce.number().int().min(1).max(240).default(60),
  // Calls one organization may place in 24 hours, all its agents together.
  ORG_DAILY_CALL_LIMIT: z.coerce.number().int().min(1).default(DEFAULT_ORG_DAILY_CALL_LIMIT),
  ALLOW_NUMBER_RANGES: z
    .string()
    .transform((s) => s.split(',').map((r) => r.trim()).filter(Boolean))
    .pipe(z.array(z.enum(DEFAULT_BLOCKED_RANGES.map((r) => r.id) as [string, ...string[]], { message: `must be a comma-separated list of ${DEFAULT_BLOCKED_RANGES.map((r) => r.id).join(', ')}` })))
    .default([]),
  BLOCKED_NUMBER_PREFIXES: z
    .string()
    .transform((s) => s.split(',').map((r) => r.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^\+\d{1,14}$/, 'must be a comma-separated list of E.164 prefixes such as +1441,+1809')))
    .default([]),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(300),
  // Open calls older than this are checked against Twilio's own record (a call still up stays open), every tenth of it.
  RECONCILE_AFTER_SECONDS: z.coerce.number().int().min(10).default(300),
  SIM_TIME_SCALE: z.coerce.number().positive().max(10).default(1),
});

const TWILIO_VARS = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_API_KEY', 'TWILIO_API_SECRET', 'TWILIO_TWIML_APP_SID', 'TWILIO_PHONE_NUMBER'] as const;
const SUPABASE_VARS = ['SUPABASE_URL', 'SUPABASE_SERVICE_ROLE_KEY'] as const;

/** A real Twilio account: what Voice tokens are signed with, webhooks are checked against and calls come from. */
export interface TwilioSettings {
  kind: 'twilio';
  accountSid: string;
  authToken: string;
  apiKey: string;
  apiSecret: string;
  twimlAppSid: string;
  /** TWILIO_PHONE_NUMBER: the caller id when an agent chooses none. */
  callerId: string;
}

/** Twilio or the simulator playing it (telephony/open-telephony.ts chooses by kind). */
export type TelephonySettings = { kind: 'simulated'; callerId: string } | TwilioSettings;

export interface SupabaseSettings {
  kind: 'supabase';
  url: string;
  serviceRoleKey: string;
  jwtSecret: string | undefined;
  /** A direct PostgreSQL connection to the Supabase database, for live updates across instances (LISTEN/NOTIFY). */
  databaseUrl: string | undefined;
}

/** The embedded database in DATA_DIR, or a Supabase project (server-adapters.ts chooses by kind). */
export type DatabaseSettings = { kind: 'embedded' } | SupabaseSettings;

export interface AppConfig {
  port: number;
  host: string;
  publicBaseUrl: string;
  dataDir: string;
  dataDirLockWaitSeconds: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Where the embedded database runs: a worker thread of its own (default) or the main thread. */
  embeddedDbThread?: 'worker' | 'inline';
  telephony: TelephonySettings;
  database: DatabaseSettings;
  defaultCountry: string;
  allowedCountries: string[];
  allowedOrigins: string[];
  demoPassword: string | undefined;
  rateLimit: { calls: number; windowSeconds: number };
  loginThrottle: { failuresPerAccount: number; failuresPerAddress: number };
  trustProxy: boolean;
  http: { headersTimeoutSeconds: number; requestTimeoutSeconds: number; keepAliveTimeoutSeconds: number; maxConnections: number };
  /** Live update streams: caps, the per-stream queue and the heartbeat (25 s). */
  eventStreams: { max: number; perAgent: number; maxQueue: number; heartbeatMs: number };
  /** <Dial timeLimit>, in minutes. */
  maxCallMinutes: number;
  orgDailyCallLimit: number;
  /** NANP ranges refused on top of premium and shared-cost numbers (call-guard.ts). */
  blockedRanges: BlockedRange[];
  reconcileAfterSeconds: number;
  /** The simulator's speed: 1 is realistic timing, 0.1 ten times faster. */
  simTimeScale: number;
  /** The Twilio edge the agents' Voice SDK connects to; undefined lets it roam. */
  twilioEdge?: (typeof TWILIO_EDGES)[number];
  /** Outgoing webhooks (webhooks/webhook-config.ts); without it, no delivery worker runs. */
  webhooks?: WebhookSettings;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Twilio's test caller id: valid E.164, reachable by nobody. */
const SIMULATED_CALLER_ID = '+15005550006';

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${String(issue.path[0] ?? 'configuration')} ${issue.message}`);
  }
  const e = parsed.data;
  const someTwilio = TWILIO_VARS.filter((k) => e[k] !== undefined);
  if (someTwilio.length > 0 && someTwilio.length < TWILIO_VARS.length) {
    const missing = TWILIO_VARS.filter((k) => e[k] === undefined);
    throw new ConfigError(`${missing[0]} is missing: Twilio mode needs all of ${TWILIO_VARS.join(', ')} (or none of them for the simulator).`);
  }
  const someSupabase = SUPABASE_VARS.filter((k) => e[k] !== undefined);
  if (someSupabase.length === 1) {
    const missing = SUPABASE_VARS.find((k) => e[k] === undefined)!;
    throw new ConfigError(`${missing} is missing: Supabase mode needs both SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY.`);
  }
  if (e.DATABASE_URL && someSupabase.length !== 2) {
    throw new ConfigError('DATABASE_URL is only used in Supabase mode (live updates across instances): set SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY too, or unset DATABASE_URL.');
  }
  if (e.HTTP_HEADERS_TIMEOUT_SECONDS > e.HTTP_REQUEST_TIMEOUT_SECONDS) {
    throw new ConfigError(`HTTP_HEADERS_TIMEOUT_SECONDS (${e.HTTP_HEADERS_TIMEOUT_SECONDS}) must not be more than HTTP_REQUEST_TIMEOUT_SECONDS (${e.HTTP_REQUEST_TIMEOUT_SECONDS}): the headers are part of the request.`);
  }
  const unknownCountry = !e.ALLOWED_COUNTRIES.includes(e.DEFAULT_COUNTRY);
  if (unknownCountry) {
    throw new ConfigError(`DEFAULT_COUNTRY ${e.DEFAULT_COUNTRY} must be one of ALLOWED_COUNTRIES (${e.ALLOWED_COUNTRIES.join(',')}).`);
  }
  const telephony: TelephonySettings =
    someTwilio.length === TWILIO_VARS.length
      ? {
          kind: 'twilio',
          accountSid: e.TWILIO_ACCOUNT_SID!,
          authToken: e.TWILIO_AUTH_TOKEN!,
          apiKey: e.TWILIO_API_KEY!,
          apiSecret: e.TWILIO_API_SECRET!,
          twimlAppSid: e.TWILIO_TWIML_APP_SID!,
          callerId: e.TWILIO_PHONE_NUMBER!,
        }
      : { kind: 'simulated', callerId: SIMULATED_CALLER_ID };
  const database: DatabaseSettings =
    someSupabase.length === 2
      ? { kind: 'supabase', url: e.SUPABASE_URL!, serviceRoleKey: e.SUPABASE_SERVICE_ROLE_KEY!, jwtSecret: e.SUPABASE_JWT_SECRET, databaseUrl: e.DATABASE_URL }
      : { kind: 'embedded' };
  const webhooks = webhookSettings(env, someTwilio.length === 0 && someSupabase.length === 0);
  if ('error' in webhooks) throw new ConfigError(webhooks.error);
  const publicBaseUrl = (e.PUBLIC_BASE_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`).replace(/\/+$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    publicBaseUrl,
    dataDir: e.DATA_DIR,
    dataDirLockWaitSeconds: e.DATA_DIR_LOCK_WAIT_SECONDS,
    logLevel: e.LOG_LEVEL,
    embeddedDbThread: e.EMBEDDED_DB_THREAD,
    telephony,
    database,
    defaultCountry: e.DEFAULT_COUNTRY,
    allowedCountries: e.ALLOWED_COUNTRIES,
    allowedOrigins: e.ALLOWED_ORIGINS,
    demoPassword: e.DEMO_PASSWORD,
    rateLimit: { calls: e.RATE_LIMIT_CALLS, windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS },
    loginThrottle: { failuresPerAccount: e.LOGIN_FAILURES_PER_ACCOUNT, failuresPerAddress: e.LOGIN_FAILURES_PER_ADDRESS },
    trustProxy: e.TRUST_PROXY === 'true',
    http: {
      headersTimeoutSeconds: e.HTTP_HEADERS_TIMEOUT_SECONDS,
      requestTimeoutSeconds: e.HTTP_REQUEST_TIMEOUT_SECONDS,
      keepAliveTimeoutSeconds: e.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS,
      maxConnections: e.MAX_CONNECTIONS,
    },
    eventStreams: { max: e.MAX_EVENT_STREAMS, perAgent: e.MAX_EVENT_STREAMS_PER_AGENT, maxQueue: e.EVENT_STREAM_QUEUE, heartbeatMs: 25_000 },
    maxCallMinutes: e.MAX_CALL_MINUTES,
    orgDailyCallLimit: e.ORG_DAILY_CALL_LIMIT,
    blockedRanges: blockedRanges(e.ALLOW_NUMBER_RANGES, e.BLOCKED_NUMBER_PREFIXES),
    reconcileAfterSeconds: e.RECONCILE_AFTER_SECONDS,
    simTimeScale: e.SIM_TIME_SCALE,
    // The schema checked it is one of TWILIO_EDGES; `optional` types what it wraps as a plain string.
    twilioEdge: e.TWILIO_EDGE as AppConfig['twilioEdge'],
    webhooks,
  };
}
