import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addEmbeddedAgent } from '../auth/embedded-auth.js';
import { createSqlCallStore } from '../store/sql-call-store.js';
import { placeCall } from '../../test/support/backend/place-call.js';
import { listMigrationFiles } from './migrate.js';
import { openEmbeddedDatabase } from './embedded-database.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('embedded database', () => {
  it('keeps data across a restart and applies each migration once', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'c2c-db-'));
    dirs.push(dir);
    const first = await openEmbeddedDatabase(dir);
    expect(first.migrations.applied).toEqual(await listMigrationFiles());
    const store = createSqlCallStore(first);
    const agent = await addEmbeddedAgent(first, store, { email: 'kept@acme.test', password: 'pw-123456', organizationName: 'Kept' });
    await placeCall(store, agent, { twilioCallSid: 'CA' + '1'.repeat(32), contactName: 'Survivor' });
    await first.close();

    const second = await openEmbeddedDatabase(dir);
    expect(second.migrations.applied).toEqual([]);
    expect(second.migrations.skipped).toEqual(await listMigrationFiles());
    const calls = await createSqlCallStore(second).listCalls(agent.organizationId, 10, null);
    expect(calls.calls.map((c) => c.contactName)).toEqual(['Survivor']);
    await second.close();
  });
});

describe('embedded database thread', () => {
  it.each(['worker', 'inline'] as const)('in memory on the %s thread: answers queries, keeps PostgreSQL error fields, and closes', async (thread) => {
    const db = await openEmbeddedDatabase(null, { thread });
    const { rows } = await db.query<{ n: number; at: Date; j: unknown }>("select 1 + $1::int as n, timestamptz '2026-11-24T12:00:00Z' as at, '{\"a\":[1,\"ü\"]}'::jsonb as j", [41]);
    expect(rows).toEqual([{ n: 42, at: new Date('2026-11-24T12:00:00Z'), j: { a: [1, 'ü'] } }]);
    const [a, b] = await Promise.all([db.query('select pg_sleep(0.05), 1 as x'), db.query('select 2 as x')]);
    expect([a.rows[0], b.rows[0]]).toMatchObject([{ x: 1 }, { x: 2 }]);
    await expect(db.query('select * from no_such_table')).rejects.toMatchObject({ code: '42P01', message: expect.stringContaining('no_such_table') });
    await expect(db.exec('create table t (id int primary key); insert into t values (1); insert into t values (1);')).rejects.toMatchObject({ code: '23505' });
    expect((await db.query('select count(*)::int as n from public.calls')).rows).toEqual([{ n: 0 }]);
    await db.close();
    await db.close();
    await expect(db.query('select 1')).rejects.toThrow(/closed/);
  });
});
