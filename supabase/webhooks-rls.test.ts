// Who may read the webhook tables, in the database itself on PGlite and PostgreSQL 15: admins their organization's
// endpoints (never the secrets) and deliveries; agents and other organizations nothing; nobody but the backend writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../backend/db/migrate.js';
import { createPostgresClient } from '../backend/db/postgres-client.js';
import { isPostgresAvailable, sharedPostgresServer, sqlDatabaseTargets } from '../test/support/backend/database-targets.js';
import { createTestBackend, type TestBackend } from '../test/support/backend/test-backend.js';
import { newWebhookSecret } from '../backend/webhooks/webhook-sender.js';

describe.each(sqlDatabaseTargets())('webhook tables on $name', (target) => {
  let t: TestBackend;
  beforeAll(async () => {
    if (target.skip) return;
    t = await createTestBackend({}, { db: (await target.open({ max: 1 })).db });
    await t.db.query(`update public.voip_users set role = 'admin' where id = any($1)`, [[t.agents.alice.id, t.agents.eve.id]]);
    for (const [agent, org] of [[t.agents.alice, 'acme'], [t.agents.eve, 'globex']] as const) {
      await t.db.query(`select public.add_webhook_endpoint($1, $2, '["call.started"]'::jsonb, '', $3)`, [agent.organizationId, `https://${org}.example.com/hook`, newWebhookSecret()]);
    }
    await t.placeCall(t.agents.alice, '+14155550170');
  });
  afterAll(() => t?.close());

  async function as<T>(userId: string, sql: string): Promise<T[] | Error> {
    await t.db.exec('begin');
    try {
      await t.db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: userId, role: 'authenticated', aud: 'authenticated' })]);
      await t.db.exec('set local role authenticated');
      return (await t.db.query<T>(sql)).rows;
    } catch (error) {
      return error as Error;
    } finally {
      await t.db.exec('rollback');
    }
  }

  describe.skipIf(target.skip)('as Supabase users', () => {
    it('lets an admin read their organization\'s endpoints and deliveries, not the secrets', async () => {
      expect(await as(t.agents.alice.id, 'select url from public.webhook_endpoints')).toEqual([{ url: 'https://acme.example.com/hook' }]);
      expect(await as(t.agents.eve.id, 'select url from public.webhook_endpoints')).toEqual([{ url: 'https://globex.example.com/hook' }]);
      expect((await as(t.agents.alice.id, 'select type from public.webhook_events')) as unknown[]).toEqual([{ type: 'call.started' }]);
      expect((await as(t.agents.alice.id, 'select state from public.webhook_deliveries')) as unknown[]).toHaveLength(1);
      expect(await as(t.agents.eve.id, 'select * from public.webhook_deliveries')).toEqual([]);
      for (const sql of ['select secret from public.webhook_endpoints', 'select * from public.webhook_endpoints']) {
        const denied = await as(t.agents.alice.id, sql);
        expect(denied).toBeInstanceOf(Error);
        expect((denied as Error).message).toMatch(/permission denied/);
      }
    });

    it('shows an agent who is not an admin nothing', async () => {
      for (const table of ['webhook_endpoints', 'webhook_events', 'webhook_deliveries', 'webhook_attempts']) {
        const column = table === 'webhook_endpoints' ? 'url' : 'id';
        expect(await as(t.agents.bob.id, `select ${column} from public.${table}`)).toEqual([]);
      }
    });

    it('refuses writes and the backend\'s functions to agents and admins alike', async () => {
      for (const sql of [
        `insert into public.webhook_endpoints (organization_id, url, events, secret) values ('${t.agents.alice.organizationId}', 'https://x.example.com', '{call.started}', '${newWebhookSecret()}')`,
        `update public.webhook_endpoints set url = 'https://attacker.example.com'`,
        `select public.claim_webhook_deliveries(10, 4, 30)`,
        `select public.list_webhook_endpoints('${t.agents.alice.organizationId}')`,
        `select public.add_webhook_endpoint('${t.agents.alice.organizationId}', 'https://x.example.com', '["call.started"]', '', '${newWebhookSecret()}')`,
      ]) {
        const result = await as(t.agents.alice.id, sql);
        expect(result).toBeInstanceOf(Error);
        expect((result as Error).message).toMatch(/permission denied/);
      }
    });
  });
});

describe.skipIf(!isPostgresAvailable())('webhook tables under Supabase\'s default privileges (everything granted to anon and authenticated on new objects)', () => {
  it('still hide the secrets from admins and the backend\'s functions from everyone but the service role', async () => {
    const db = createPostgresClient(await (await sharedPostgresServer()).createDatabase(), { max: 1 });
    try {
      await db.exec(`
        do $$ begin
          if not exists (select 1 from pg_roles where rolname = 'anon') then create role anon nologin; end if;
          if not exists (select 1 from pg_roles where rolname = 'authenticated') then create role authenticated nologin; end if;
          if not exists (select 1 from pg_roles where rolname = 'service_role') then create role service_role nologin bypassrls; end if;
        end $$;
        alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
        alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
      `);
      await applyMigrations(db);
      const { rows } = await db.query<{ id: string }>(`insert into auth.users (email) values ('admin@acme.test') returning id`);
      const agent = (await db.query<{ a: { organization_id: string } }>(`select public.upsert_agent($1, 'admin@acme.test', 'Admin', 'Acme') as a`, [rows[0]!.id])).rows[0]!.a;
      await db.query(`update public.voip_users set role = 'admin'`);
      await db.query(`select public.add_webhook_endpoint($1, 'https://acme.example.com/hook', '["call.started"]'::jsonb, '', $2)`, [agent.organization_id, newWebhookSecret()]);
      const as = async (role: 'authenticated' | 'anon', sql: string) => {
        await db.exec('begin');
        try {
          await db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(role === 'anon' ? { role } : { sub: rows[0]!.id, role })]);
          await db.exec(`set local role ${role}`);
          return (await db.query(sql)).rows;
        } catch (error) {
          return error as Error;
        } finally {
          await db.exec('rollback');
        }
      };
      expect(await as('authenticated', 'select url from public.webhook_endpoints')).toEqual([{ url: 'https://acme.example.com/hook' }]);
      for (const [role, sql] of [
        ['authenticated', 'select secret from public.webhook_endpoints'],
        ['anon', 'select url from public.webhook_endpoints'],
        ['authenticated', `update public.webhook_endpoints set url = 'https://attacker.example.com'`],
        ['authenticated', 'select public.claim_webhook_deliveries(10, 4, 30)'],
        ['anon', `select public.list_webhook_endpoints(gen_random_uuid())`],
        ['authenticated', `select public.enqueue_webhook_event(gen_random_uuid(), null, 'call.started', '{}'::jsonb)`],
      ] as const) {
        const result = await as(role, sql);
        expect(result, `${role}: ${sql}`).toBeInstanceOf(Error);
        expect((result as Error).message).toMatch(/permission denied/);
      }
    } finally {
      await db.close();
    }
  });
});
