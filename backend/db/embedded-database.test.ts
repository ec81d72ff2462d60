import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addEmbeddedAgent } from '../auth/embedded-auth.js';
import { createSqlCallStore } from '../store/sql-call-store.js';
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
    await store.createOutboundCall({
      organizationId: agent.organizationId, agentId: agent.id, twilioCallSid: 'CA' + '1'.repeat(32), fromNumber: '+15005550006',
      toNumber: '+14155550100', contactName: 'Survivor', pageUrl: null, pageTitle: null, status: 'initiated', errorCode: null, errorMessage: null, createdAt: new Date(),
    });
    await first.close();

    const second = await openEmbeddedDatabase(dir);
    expect(second.migrations.applied).toEqual([]);
    expect(second.migrations.skipped).toEqual(await listMigrationFiles());
    const calls = await createSqlCallStore(second).listCalls(agent.organizationId, 10, null);
    expect(calls.calls.map((c) => c.contactName)).toEqual(['Survivor']);
    await second.close();
  });
});
