// The CallStore contract on the Supabase adapter: supabase-js over real HTTP to a PostgREST-compatible RPC endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlClient } from '../db/sql-client.js';
import { createServiceClient } from '../supabase/service-client.js';
import { sqlDatabaseTargets } from '../../test/support/backend/database-targets.js';
import { closedPort } from '../../test/support/backend/closed-port.js';
import { startPostgrestRpcServer, type RpcServer } from '../../test/support/backend/postgrest-rpc-server.js';
import { projectKeys, type ProjectKeys } from '../../test/support/backend/supabase-keys.js';
import { callStoreContract } from './call-store.contract.js';
import { createSupabaseCallStore, SupabaseStoreError } from './supabase-call-store.js';

async function project(db: SqlClient) {
  const keys = await projectKeys();
  const rpc = await startPostgrestRpcServer({ db, jwtSecret: keys.jwtSecret });
  return { keys, rpc };
}

const createUser = (db: SqlClient) => async (email: string) =>
  (await db.query<{ id: string }>('insert into auth.users (email) values ($1) returning id', [email])).rows[0]!.id;

describe.each(sqlDatabaseTargets())('Supabase call store over $name', (target) => {
  describe.skipIf(target.skip)('contract', () => {
    callStoreContract(async () => {
      const { db } = await target.open();
      const { keys, rpc } = await project(db);
      return {
        store: createSupabaseCallStore(createServiceClient(rpc.url, keys.serviceRoleKey)),
        createUser: createUser(db),
        async close() {
          await rpc.close();
          await db.close();
        },
      };
    });
  });
});

describe('Supabase call store requests', () => {
  let db: SqlClient;
  let keys: ProjectKeys;
  let rpc: RpcServer;
  beforeAll(async () => {
    const target = sqlDatabaseTargets()[0]!;
    db = (await target.open()).db;
    ({ keys, rpc } = await project(db));
  });
  afterAll(async () => {
    await rpc?.close();
    await db?.close();
  });

  it('calls the SQL function by name with its named p_ arguments and the service-role key', async () => {
    const store = createSupabaseCallStore(createServiceClient(rpc.url, keys.serviceRoleKey));
    rpc.requests.length = 0;
    await store.listCalls('00000000-0000-4000-8000-000000000001', 5, { createdAt: '2026-01-01T00:00:00.000Z', id: '00000000-0000-4000-8000-000000000002' });
    expect(rpc.requests).toHaveLength(1);
    const [req] = rpc.requests;
    expect(req).toMatchObject({
      fn: 'list_calls', role: 'service_role',
      body: { p_organization_id: '00000000-0000-4000-8000-000000000001', p_limit: 5, p_before_created_at: '2026-01-01T00:00:00.000Z', p_before_id: '00000000-0000-4000-8000-000000000002' },
    });
    expect(req!.headers).toMatchObject({ apikey: keys.serviceRoleKey, authorization: `Bearer ${keys.serviceRoleKey}`, 'content-type': 'application/json' });
  });

  it('fails with a sentence naming the function when the key is not the service-role key', async () => {
    const store = createSupabaseCallStore(createServiceClient(rpc.url, keys.anonKey));
    const error = await store.getCall('00000000-0000-4000-8000-000000000001').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SupabaseStoreError);
    expect((error as Error).message).toMatch(/^The database call get_call failed \(42501\): permission denied for function get_call/);
  });

  it('fails with a sentence when Supabase cannot be reached', async () => {
    const store = createSupabaseCallStore(createServiceClient(`http://127.0.0.1:${await closedPort()}`, keys.serviceRoleKey));
    await expect(store.getAgent('00000000-0000-4000-8000-000000000001')).rejects.toThrow(/^The database call get_agent failed: .*fetch failed/);
  });
});
