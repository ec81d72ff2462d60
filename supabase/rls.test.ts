// Row level security, checked in the database itself with the role and request.jwt.claims set as Supabase sets them,
// on the embedded database and on a real PostgreSQL 15 server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlDatabaseTargets } from '../test/support/backend/database-targets.js';
import { createTestBackend, type TestBackend } from '../test/support/backend/test-backend.js';

describe.each(sqlDatabaseTargets())('row level security on $name', (target) => {
  let t: TestBackend;
  beforeAll(async () => {
    if (target.skip) return;
    // One connection, so that the transaction `as` opens spans its statements.
    t = await createTestBackend({}, { db: (await target.open({ max: 1 })).db });
    const a = await t.placeCall(t.agents.alice, '+14155550160', { contactName: 'Acme lead' });
    await t.placeCall(t.agents.eve, '+14155550161', { contactName: 'Globex lead' });
    await t.twilio(`/api/twilio/outbound-events?callId=${a.callId}`, { CallSid: a.callSid, CallStatus: 'ringing', SequenceNumber: '1' });
  });
  afterAll(() => t?.close());

  /** Runs `sql` as an authenticated Supabase user (or anon when userId is null), inside a rolled-back transaction. */
  async function as<T>(userId: string | null, sql: string): Promise<T[] | Error> {
    const claims = userId ? { sub: userId, role: 'authenticated', aud: 'authenticated' } : { role: 'anon' };
    await t.db.exec('begin');
    try {
      await t.db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)]);
      await t.db.exec(`set local role ${userId ? 'authenticated' : 'anon'}`);
      return (await t.db.query<T>(sql)).rows;
    } catch (error) {
      return error as Error;
    } finally {
      await t.db.exec('rollback');
    }
  }

  describe.skipIf(target.skip)('as Supabase roles', () => {
    it("lets an agent read their organization's calls and nothing else", async () => {
      const rows = await as<{ contact_name: string }>(t.agents.alice.id, 'select contact_name from public.calls');
      expect(rows).toEqual([{ contact_name: 'Acme lead' }]);
      const eve = await as<{ contact_name: string }>(t.agents.eve.id, 'select contact_name from public.calls');
      expect(eve).toEqual([{ contact_name: 'Globex lead' }]);
    });

    it("hides other organizations' agents, presence, organizations and call events", async () => {
      expect(await as<{ email: string }>(t.agents.eve.id, 'select email from public.voip_users')).toEqual([{ email: 'eve@globex.test' }]);
      expect(await as<{ email: string }>(t.agents.eve.id, 'select email from public.agent_presence')).toEqual([{ email: 'eve@globex.test' }]);
      expect(await as<{ name: string }>(t.agents.eve.id, 'select name from public.organizations')).toEqual([{ name: 'Globex' }]);
      expect(await as(t.agents.eve.id, 'select * from public.call_events')).toEqual([]);
      expect((await as(t.agents.alice.id, 'select * from public.call_events')) as unknown[]).toHaveLength(1);
    });

    it('refuses direct writes by agents', async () => {
      const update = await as(t.agents.alice.id, `update public.calls set status = 'completed'`);
      expect(update).toBeInstanceOf(Error);
      const insert = await as(t.agents.alice.id, `insert into public.organizations (name) values ('Mine')`);
      expect(insert).toBeInstanceOf(Error);
    });

    it("refuses agents the backend's write functions", async () => {
      const result = await as(t.agents.alice.id, `select public.get_call(gen_random_uuid())`);
      expect(result).toBeInstanceOf(Error);
      expect((result as Error).message).toMatch(/permission denied/);
    });

    it('refuses TRUNCATE to agents and anonymous requests (row level security does not cover it)', async () => {
      for (const user of [t.agents.alice.id, null]) {
        const result = await as(user, 'truncate public.calls cascade');
        expect(result).toBeInstanceOf(Error);
        expect((result as Error).message).toMatch(/permission denied/);
      }
      expect(await t.count('calls')).toBeGreaterThan(0);
    });

    it('shows an anonymous request nothing', async () => {
      const result = await as(null, 'select * from public.calls');
      expect(result).toBeInstanceOf(Error);
    });
  });
});
