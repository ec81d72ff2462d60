// The migrations on a real PostgreSQL 15 server: applied once, atomic per file, and on top of an existing Supabase auth schema.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, listMigrationFiles } from '../backend/db/migrate.js';
import { createPostgresClient, type PostgresClient } from '../backend/db/postgres-client.js';
import { isPostgresAvailable, sharedPostgresServer } from '../test/support/backend/database-targets.js';

/** The roles every Supabase project has, created where missing. */
const SUPABASE_ROLES = `do $$ begin
        if not exists (select 1 from pg_roles where rolname = 'anon') then create role anon nologin; end if;
        if not exists (select 1 from pg_roles where rolname = 'authenticated') then create role authenticated nologin; end if;
        if not exists (select 1 from pg_roles where rolname = 'service_role') then create role service_role nologin bypassrls; end if;
      end $$;`;

const clients: PostgresClient[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const c of clients) await c.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function emptyDatabase(): Promise<PostgresClient> {
  const db = createPostgresClient(await (await sharedPostgresServer()).createDatabase());
  clients.push(db);
  return db;
}

describe.skipIf(!isPostgresAvailable())('migrations on PostgreSQL 15', () => {
  it('applies every migration once and records it where the Supabase CLI does', async () => {
    const db = await emptyDatabase();
    const files = await listMigrationFiles();
    expect((await applyMigrations(db)).applied).toEqual(files);
    expect(await applyMigrations(db)).toEqual({ applied: [], skipped: files });
    const { rows } = await db.query<{ version: string }>('select version from supabase_migrations.schema_migrations order by version');
    expect(rows.map((r) => r.version)).toEqual(files.map((f) => f.split('_')[0]));
  });

  it('references auth.users, enables row level security on every table and grants the Supabase roles', async () => {
    const db = await emptyDatabase();
    await applyMigrations(db);
    const fk = await db.query<{ target: string }>(
      `select confrelid::regclass::text as target from pg_constraint where conrelid = 'public.voip_users'::regclass and contype = 'f' order by 1`,
    );
    expect(fk.rows.map((r) => r.target)).toContain('auth.users');
    const rls = await db.query<{ relname: string; relrowsecurity: boolean }>(
      `select c.relname, c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r' order by 1`,
    );
    // Every table, whichever migration added it, has row level security on.
    expect(rls.rows.filter((r) => !r.relrowsecurity).map((r) => r.relname)).toEqual([]);
    expect(rls.rows.map((r) => r.relname)).toEqual(expect.arrayContaining(['call_events', 'calls', 'organizations', 'voip_users', 'call_outcomes', 'call_wrapups']));
    const grants = await db.query<{ service: boolean; agent: boolean }>(
      `select has_function_privilege('service_role', 'public.record_call_event(uuid, text, text, integer, text, text, timestamptz, integer, text, text, jsonb, text)', 'execute') as service,
              has_function_privilege('authenticated', 'public.record_call_event(uuid, text, text, integer, text, text, timestamptz, integer, text, text, jsonb, text)', 'execute') as agent`,
    );
    expect(grants.rows[0]).toEqual({ service: true, agent: false });
    const select = await db.query<{ ok: boolean }>(`select has_table_privilege('authenticated', 'public.calls', 'select') as ok`);
    expect(select.rows[0]!.ok).toBe(true);
  });

  it("leaves an existing Supabase auth schema as it is (the shim applies only where auth is missing)", async () => {
    const db = await emptyDatabase();
    // What a Supabase project already has: its own auth.users (with more columns) and auth.uid().
    await db.exec(`
      ${SUPABASE_ROLES}
      create schema auth;
      create table auth.users (id uuid primary key, email text, aud text, is_sso_user boolean not null default false);
      create function auth.uid() returns uuid language sql stable
        as $$ select nullif(current_setting('request.jwt.claims', true)::jsonb ->> 'sub', '')::uuid $$;
    `);
    await applyMigrations(db);
    const cols = await db.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = 'auth' and table_name = 'users' order by ordinal_position`,
    );
    expect(cols.rows.map((r) => r.column_name)).toEqual(['id', 'email', 'aud', 'is_sso_user']);
    expect((await db.query(`select 1 from pg_tables where schemaname = 'auth' and tablename = 'refresh_tokens'`)).rows).toEqual([]);
  });

  it("keeps agents read-only under Supabase's default privileges, which grant anon and authenticated everything on new objects", async () => {
    const db = createPostgresClient(await (await sharedPostgresServer()).createDatabase(), { max: 1 });
    clients.push(db);
    await db.exec(`
      ${SUPABASE_ROLES}
      alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
      alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
      alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
    `);
    await applyMigrations(db);
    const { rows } = await db.query<{ id: string }>(`insert into auth.users (email) values ('agent@acme.test') returning id`);
    const userId = rows[0]!.id;
    await db.query(`select public.upsert_agent($1, 'agent@acme.test', 'Agent', 'Acme')`, [userId]);
    const as = async (role: 'authenticated' | 'anon', sql: string) => {
      await db.exec('begin');
      try {
        await db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(role === 'anon' ? { role } : { sub: userId, role })]);
        await db.exec(`set local role ${role}`);
        return (await db.query(sql)).rows;
      } catch (error) {
        return error as Error;
      } finally {
        await db.exec('rollback');
      }
    };
    expect(await as('authenticated', `insert into public.organizations (name) values ('Mine')`)).toMatchObject({ message: expect.stringMatching(/row-level security/) });
    expect(await as('authenticated', `update public.voip_users set display_name = 'x' returning id`)).toEqual([]);
    expect(await as('authenticated', `select public.get_agent(gen_random_uuid())`)).toMatchObject({ message: expect.stringMatching(/permission denied/) });
    expect(await as('anon', `select public.place_outbound_calls('[]'::jsonb)`))
      .toMatchObject({ message: expect.stringMatching(/permission denied/) });
    expect(await as('anon', `select * from public.voip_users`)).toEqual([]);
    expect(await as('authenticated', `select email from public.agent_presence`)).toEqual([{ email: 'agent@acme.test' }]);
    // An agent making themselves an admin of their organization (or of any) through PostgREST's rpc.
    const organizationId = (await db.query<{ id: string }>(`select organization_id as id from public.voip_users where id = $1`, [userId])).rows[0]!.id;
    expect(await as('authenticated', `select public.set_agent_role('${organizationId}', 'agent@acme.test', 'admin')`)).toMatchObject({ message: expect.stringMatching(/permission denied/) });
    expect((await db.query<{ role: string }>(`select role from public.voip_users where id = $1`, [userId])).rows[0]!.role).toBe('agent');
    // Every function of the schema, whichever migration added it, is the backend's alone, but those the policies use
    // (the agent's organization, whether they are an admin) and three pure helpers over what the agent may read anyway
    // (the presence view, security invoker, runs call_is_open as the agent).
    const callable = await db.query<{ fn: string }>(
      `select p.oid::regprocedure::text as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and p.prokind = 'f' and p.prorettype <> 'trigger'::regtype
         and (has_function_privilege('authenticated', p.oid, 'execute') or has_function_privilege('anon', p.oid, 'execute'))
       order by 1`,
    );
    expect(callable.rows.map((r) => r.fn)).toEqual(['call_is_open(text)', 'call_status_rank(text)', 'call_to_json(calls)', 'current_agent_is_admin()', 'current_organization_id()']);
  });

  it("refuses TRUNCATE, REFERENCES and TRIGGER to anon and authenticated on every public table, under Supabase's default privileges", async () => {
    const db = createPostgresClient(await (await sharedPostgresServer()).createDatabase(), { max: 1 });
    clients.push(db);
    await db.exec(`
      ${SUPABASE_ROLES}
      alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
    `);
    await applyMigrations(db);
    const { rows } = await db.query<{ id: string }>(`insert into auth.users (email) values ('agent@acme.test') returning id`);
    await db.query(`select public.upsert_agent($1, 'agent@acme.test', 'Agent', 'Acme')`, [rows[0]!.id]);
    const granted = await db.query<{ grantee: string; table_name: string; privilege_type: string }>(
      `select grantee, table_name, privilege_type from information_schema.role_table_grants
       where table_schema = 'public' and grantee in ('anon', 'authenticated') and privilege_type in ('TRUNCATE', 'REFERENCES', 'TRIGGER')
       order by 1, 2, 3`,
    );
    expect(granted.rows).toEqual([]);
    for (const role of ['anon', 'authenticated']) {
      await db.exec('begin');
      try {
        await db.exec(`set local role ${role}`);
        await expect(db.exec('truncate public.calls, public.voip_users, public.organizations cascade')).rejects.toThrow(/permission denied/);
      } finally {
        await db.exec('rollback');
      }
    }
    expect((await db.query<{ n: number }>('select count(*)::int as n from public.organizations')).rows[0]!.n).toBe(1);
    // A table a later migration creates gets none of the three either.
    await db.exec('create table public.later_table (id int)');
    const later = await db.query<{ ok: boolean }>(`select has_table_privilege('anon', 'public.later_table', 'truncate') as ok`);
    expect(later.rows[0]!.ok).toBe(false);
  });

  it('rolls back a failing migration entirely and keeps the connection pool usable', async () => {
    const db = await emptyDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), 'c2c-migrations-'));
    dirs.push(dir);
    await writeFile(path.join(dir, '20300101000000_half.sql'), 'create table public.half_done (id int);\nselect * from public.no_such_table;');
    await expect(applyMigrations(db, dir)).rejects.toThrow(/Migration 20300101000000_half.sql failed: .*no_such_table/);
    expect((await db.query(`select 1 from pg_tables where tablename = 'half_done'`)).rows).toEqual([]);
    expect((await db.query('select version from supabase_migrations.schema_migrations')).rows).toEqual([]);
  });
});
