// Who may read the webhook tables, in the database itself on PGlite and PostgreSQL 15: admins their organization's
// endpoints (never the secrets) and deliveries; agents and other organizations nothing; nobody but the backend writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlDatabaseTargets } from '../backend/testing/database-targets.js';
import { createTestBackend, type TestBackend } from '../backend/testing/test-backend.js';
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
