// Two backend instances on one PostgreSQL 15 database (Supabase mode) share the outbox: every event is delivered, and
// none twice, though both workers claim at the same time (FOR UPDATE SKIP LOCKED).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_CLI_ORGANIZATION_HEADER, ADMIN_CLI_TOKEN_HEADER } from '../admin/admin-cli-token.js';
import { loadConfig } from '../config.js';
import type { SqlClient } from '../db/sql-client.js';
import { createLogger } from '../logger.js';
import { startBackend, type RunningBackend } from '../server.js';
import { isPostgresAvailable, sharedPostgresServer } from '../../test/support/backend/database-targets.js';
import { startSupabaseFake, type SupabaseFake } from '../../test/support/backend/supabase-fake.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/support/backend/webhook-receiver.js';

const CALLS = 150;
const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe.skipIf(!isPostgresAvailable())('two instances on one PostgreSQL 15 database', () => {
  it('deliver every event once between them', async () => {
    const { db, url } = await (await sharedPostgresServer()).migratedDatabase();
    closers.push(() => db.close());
    const fake: SupabaseFake = await startSupabaseFake(db);
    closers.push(() => fake.close());
    const userId = await fake.addUser('ann@acme.test', 'agents-password-1');
    await db.query('select public.upsert_agent($1, $2, $3, $4)', [userId, 'ann@acme.test', 'Ann', 'Acme']);
    const receiver: WebhookReceiver = await startWebhookReceiver();
    closers.push(() => receiver.close());
    const dir = await mkdtemp(path.join(tmpdir(), 'c2c-webhook-instances-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));

    const delivered: Record<string, number> = { a: 0, b: 0 };
    const start = async (name: 'a' | 'b'): Promise<RunningBackend> => {
      const config = loadConfig({
        PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'debug', SUPABASE_URL: fake.url, SUPABASE_SERVICE_ROLE_KEY: fake.keys.serviceRoleKey,
        SUPABASE_JWT_SECRET: fake.keys.jwtSecret, DATABASE_URL: url, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_POLL_MS: '20', WEBHOOK_CONCURRENCY_PER_ENDPOINT: '8',
      });
      // The receiver is this machine's http server; production allows only https, so the test allows it explicitly.
      config.webhooks = { ...config.webhooks!, allowLoopbackHttp: true };
      const logger = createLogger('debug', (line) => {
        if (line.includes('"webhook.delivered"')) delivered[name]!++;
        if (line.includes('"error"')) process.stderr.write(`${line}\n`);
      });
      const backend = await startBackend(config, { logger });
      closers.push(() => backend.close());
      return backend;
    };
    const a = await start('a');
    await start('b');

    const res = await fetch(`${a.url}/api/admin/webhooks`, {
      method: 'POST',
      headers: { [ADMIN_CLI_TOKEN_HEADER]: a.deps.adminCliToken!, [ADMIN_CLI_ORGANIZATION_HEADER]: 'Acme', 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, events: ['call.started', 'call.completed'] }),
    });
    if (res.status !== 201) throw new Error(await res.text());
    receiver.setSecret(((await res.json()) as { secret: string }).secret);
    receiver.setDelayMs(5);

    // Calls created and ended in the database (as Twilio's webhooks would, through either instance).
    await createCalls(db, userId, CALLS);
    await waitFor(() => receiver.accepted().length >= CALLS * 2, 60_000);
    await new Promise((r) => setTimeout(r, 500));

    const ids = receiver.received.map((h) => h.id);
    expect(ids).toHaveLength(CALLS * 2);
    expect(new Set(ids).size).toBe(ids.length);
    expect(receiver.received.every((h) => h.verified)).toBe(true);
    expect(delivered.a! + delivered.b!).toBe(CALLS * 2);
    // Both took part: the test would not show anything if one instance delivered alone.
    expect(delivered.a).toBeGreaterThan(0);
    expect(delivered.b).toBeGreaterThan(0);
    // In order per call, whichever instance sent each event.
    const byCall = new Map<string, string[]>();
    for (const h of receiver.received) byCall.set(h.callId!, [...(byCall.get(h.callId!) ?? []), h.type]);
    expect([...byCall.values()].every((types) => types.join() === 'call.started,call.completed')).toBe(true);
  }, 180_000);
});

async function createCalls(db: SqlClient, agentId: string, n: number) {
  await db.query(
    `with org as (select organization_id from public.voip_users where id = $1)
     insert into public.calls (organization_id, direction, status, to_number, assigned_to)
     select org.organization_id, 'outbound', 'initiated', '+1415555' || lpad(g::text, 4, '0'), $1 from org, generate_series(1, $2) g`,
    [agentId, n],
  );
  await db.query(`update public.calls set status = 'busy', ended_at = now() where assigned_to = $1`, [agentId]);
}

async function waitFor(check: () => boolean, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('Timed out waiting for the deliveries');
    await new Promise((r) => setTimeout(r, 50));
  }
}
