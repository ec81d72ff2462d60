// The whole backend in Supabase mode over real HTTP: Supabase Auth and rpc (local stand-ins over a real database), and two
// instances behind one PostgreSQL 15 database seeing each other's live events through LISTEN/NOTIFY.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call, LiveEvent } from '../shared/api.js';
import { loadConfig } from './config.js';
import type { SqlClient } from './db/sql-client.js';
import { silentLogger } from './logger.js';
import { startBackend, type RunningBackend } from './server.js';
import { embeddedTarget, isPostgresAvailable, sharedPostgresServer } from '../test/support/backend/database-targets.js';
import { openSse } from '../test/support/backend/sse-client.js';
import { startSupabaseFake, type SupabaseFake } from '../test/support/backend/supabase-fake.js';

const PASSWORD = 'agents-password-1';
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function dataDir() {
  const d = await mkdtemp(path.join(tmpdir(), 'c2c-supabase-mode-'));
  dirs.push(d);
  return d;
}

async function agent(db: SqlClient, fake: SupabaseFake, email: string, name: string, org: string) {
  const id = await fake.addUser(email, PASSWORD);
  await db.query('select public.upsert_agent($1, $2, $3, $4)', [id, email, name, org]);
  return id;
}

async function start(fake: SupabaseFake, dir: string, extra: Record<string, string> = {}) {
  const config = loadConfig({
    PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'silent', SUPABASE_URL: fake.url, SUPABASE_SERVICE_ROLE_KEY: fake.keys.serviceRoleKey,
    SUPABASE_JWT_SECRET: fake.keys.jwtSecret, ...extra,
  });
  return startBackend(config, { logger: silentLogger, telephony: { timeScale: 0.02 } });
}

async function login(backend: RunningBackend, email: string) {
  const res = await fetch(`${backend.url}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { accessToken: string; refreshToken: string; agent: { id: string } };
}

async function dial(backend: RunningBackend, token: string, to: string) {
  const res = await fetch(`${backend.url}/api/sim/calls`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ To: to, contactName: 'Supabase lead' }),
  });
  expect(res.status).toBe(201);
}

describe('Supabase mode', () => {
  let db: SqlClient;
  let fake: SupabaseFake;
  let backend: RunningBackend;
  beforeAll(async () => {
    db = (await embeddedTarget.open()).db;
    fake = await startSupabaseFake(db);
    await agent(db, fake, 'ada@acme.test', 'Ada', 'Acme');
    backend = await start(fake, await dataDir());
  });
  afterAll(async () => {
    await backend?.close();
    await fake?.close();
    await db?.close();
  });

  it('signs in through Supabase Auth, records a whole call through rpc, and lists it in history', async () => {
    const session = await login(backend, 'ada@acme.test');
    expect(session.accessToken.split('.')).toHaveLength(3);
    fake.rpcRequests.length = 0;
    // …0003: the simulated far end answers, then hangs up.
    await dial(backend, session.accessToken, '+14155550003');
    const calls = await waitFor(async () => {
      const res = await fetch(`${backend.url}/api/calls`, { headers: { authorization: `Bearer ${session.accessToken}` } });
      const body = (await res.json()) as { calls: Call[] };
      return body.calls.find((c) => c.status === 'completed');
    });
    expect(calls).toMatchObject({ toNumber: '+14155550003', contactName: 'Supabase lead', assignedTo: session.agent.id, agentName: 'Ada' });
    const fns = new Set(fake.rpcRequests.map((r) => r.fn));
    expect([...fns]).toEqual(expect.arrayContaining(['get_agent', 'place_outbound_calls_after_wrapup', 'record_call_event', 'list_calls']));
    expect(fake.rpcRequests.every((r) => r.role === 'service_role')).toBe(true);
  });

  it('refreshes a session through Supabase Auth and refuses the rotated refresh token', async () => {
    const session = await login(backend, 'ada@acme.test');
    const refresh = (token: string) =>
      fetch(`${backend.url}/api/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: token }) });
    expect((await refresh(session.refreshToken)).status).toBe(200);
    const again = await refresh(session.refreshToken);
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: { message: string } }).error.message).toBe('Your session has ended. Sign in again.');
  });

  it('refuses to start with a sentence when the service-role key is not accepted', async () => {
    const config = loadConfig({ PORT: '0', DATA_DIR: await dataDir(), LOG_LEVEL: 'silent', SUPABASE_URL: fake.url, SUPABASE_SERVICE_ROLE_KEY: fake.keys.anonKey });
    await expect(startBackend(config, { logger: silentLogger })).rejects.toThrow(
      /^Supabase at http:\/\/127\.0\.0\.1:\d+ did not answer as expected \(The database call get_agent failed \(42501\).*Check SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY/,
    );
  });
});

describe.skipIf(!isPostgresAvailable())('two instances on one PostgreSQL 15 database', () => {
  let db: SqlClient;
  let fake: SupabaseFake;
  let a: RunningBackend;
  let b: RunningBackend;
  beforeAll(async () => {
    const migrated = await (await sharedPostgresServer()).migratedDatabase();
    db = migrated.db;
    fake = await startSupabaseFake(db);
    await agent(db, fake, 'ann@acme.test', 'Ann', 'Acme');
    await agent(db, fake, 'ben@acme.test', 'Ben', 'Acme');
    await agent(db, fake, 'gil@globex.test', 'Gil', 'Globex');
    // One DATA_DIR: in simulated mode the instances must share the simulator's credentials, as they share Twilio's in production.
    const dir = await dataDir();
    a = await start(fake, dir, { DATABASE_URL: migrated.url });
    b = await start(fake, dir, { DATABASE_URL: migrated.url });
    await Promise.all([a, b].map((x) => (x.deps.live as { ready?: Promise<void> }).ready));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await fake?.close();
    await db?.close();
  });

  it("shows a call placed through one instance live to a teammate connected to the other, and not to another organization", async () => {
    const ann = await login(a, 'ann@acme.test');
    const ben = await login(b, 'ben@acme.test');
    const gil = await login(b, 'gil@globex.test');
    const benLive = await openSse<LiveEvent>(`${b.url}/api/events`, ben.accessToken);
    const gilLive = await openSse<LiveEvent>(`${b.url}/api/events`, gil.accessToken);
    try {
      await dial(a, ann.accessToken, '+14155510003');
      const onCall = await benLive.next((e) => e.type === 'presence' && e.agent.id === ann.agent.id && e.agent.status === 'on-call');
      expect(onCall).toMatchObject({ agent: { currentCallPhoneNumber: '+14155510003' } });
      await benLive.next((e) => e.type === 'call' && e.call.status === 'in-progress' && e.call.assignedTo === ann.agent.id);
      await benLive.next((e) => e.type === 'call' && e.call.status === 'completed');
      await benLive.next((e) => e.type === 'presence' && e.agent.id === ann.agent.id && e.agent.status === 'available');
      // Gil sees only his own organization: at most his own coming online.
      expect(gilLive.events.filter((e) => e.type === 'call' || (e.type === 'presence' && e.agent.id !== gil.agent.id))).toEqual([]);
    } finally {
      benLive.close();
      gilLive.close();
    }
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Nothing matched within ${timeoutMs} ms.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
