// agent:add on Supabase over real HTTP: Supabase Auth's admin API and rpc (local stand-ins over a real database), then sign-in through the Supabase auth adapter.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, type AuthService } from '../auth/auth-service.js';
import { createSupabaseAuth } from '../auth/supabase-auth.js';
import { openEmbeddedDatabase } from '../db/embedded-database.js';
import type { SqlClient } from '../db/sql-client.js';
import { createSupabaseCallStore } from '../store/supabase-call-store.js';
import { createServiceClient } from '../supabase/service-client.js';
import { closedPort } from '../../test/support/backend/closed-port.js';
import { startSupabaseFake, type SupabaseFake } from '../../test/support/backend/supabase-fake.js';
import { projectKeys } from '../../test/support/backend/supabase-keys.js';
import { addSupabaseAgent, SupabaseAgentError, type SupabaseAgentInput } from './add-supabase-agent.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PASSWORD = 'a long agent password';

let db: SqlClient;
let fake: SupabaseFake;
let auth: AuthService;
beforeAll(async () => {
  db = await openEmbeddedDatabase(null);
  fake = await startSupabaseFake(db);
  const store = createSupabaseCallStore(createServiceClient(fake.url, fake.keys.serviceRoleKey));
  auth = createSupabaseAuth({ url: fake.url, apiKey: fake.keys.serviceRoleKey, jwtSecret: fake.keys.jwtSecret, store, now: () => new Date() });
});
afterAll(async () => {
  await fake?.close();
  await db?.close();
});

const newEmail = (who: string) => `${who}-${randomBytes(4).toString('hex')}@acme.test`;
const add = (input: Partial<SupabaseAgentInput> & { email: string }) =>
  addSupabaseAgent({ url: fake.url, serviceRoleKey: fake.keys.serviceRoleKey, password: PASSWORD, organizationName: 'Acme', ...input });
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected agent:add to fail'); }, (e: unknown) => e);
const authUserCount = async (email: string) =>
  (await db.query<{ n: number }>('select count(*)::int as n from auth.users where email = $1', [email])).rows[0]!.n;
const code = (e: unknown) => (e instanceof AuthError ? e.code : e);

describe('agent:add on Supabase', () => {
  it('creates the Auth user and the agent, who can then sign in', async () => {
    const email = newEmail('ada');
    const result = await add({ email, displayName: 'Ada Lovelace' });

    expect(result.authUser).toBe('created');
    expect(result.message).toBe(`Agent ${email} (Ada Lovelace) is in organization Acme, with a new Supabase Auth account. They can sign in now.`);
    const session = await auth.login(email, PASSWORD);
    expect(session.agent).toMatchObject({ id: result.agent.id, email, displayName: 'Ada Lovelace', organizationName: 'Acme' });
    expect(await authUserCount(email)).toBe(1);
  });

  it('adds an existing Auth user as an agent without changing their password', async () => {
    const email = newEmail('grace');
    const id = await fake.addUser(email, 'the password they chose');

    const result = await add({ email, password: 'a different password' });

    expect(result.authUser).toBe('existing');
    expect(result.agent.id).toBe(id);
    expect(result.message).toBe(
      `Agent ${email} (${email.split('@')[0]}) is in organization Acme. They already had a Supabase Auth account, whose password was left unchanged: they sign in with the password they already have, not --password.`,
    );
    expect((await auth.login(email, 'the password they chose')).agent.id).toBe(id);
    expect(code(await auth.login(email, 'a different password').catch((e: unknown) => e))).toBe('invalid-credentials');
  });

  it('names an existing Auth user as their Supabase profile does when --name is not given', async () => {
    const email = newEmail('hopper');
    const { rows } = await db.query<{ id: string }>('insert into auth.users (email) values ($1) returning id', [email]);
    fake.auth.addUser({ id: rows[0]!.id, email, password: PASSWORD, userMetadata: { full_name: 'Grace Hopper' } });

    expect((await add({ email })).agent.displayName).toBe('Grace Hopper');
  });

  it('finds an existing Auth user on a later page of the user list', async () => {
    const email = newEmail('early');
    const id = await fake.addUser(email, PASSWORD);
    for (let i = 0; i < 5; i++) await fake.addUser(newEmail('later'), PASSWORD);
    const before = fake.auth.requests.length;

    const result = await add({ email, pageSize: 2 });

    expect(result).toMatchObject({ authUser: 'existing', agent: { id } });
    const listed = fake.auth.requests.slice(before).filter((r) => r.method === 'GET' && r.path === '/auth/v1/admin/users');
    expect(listed.length).toBeGreaterThanOrEqual(3);
  });

  it('run again, moves the agent to the organization given and keeps their name', async () => {
    const email = newEmail('bob');
    const first = await add({ email, displayName: 'Bob Builder' });

    const again = await add({ email, organizationName: 'Globex' });

    expect(again).toMatchObject({ authUser: 'existing', agent: { id: first.agent.id, displayName: 'Bob Builder', organizationName: 'Globex' } });
    expect(await authUserCount(email)).toBe(1);
    expect((await auth.login(email, PASSWORD)).agent.organizationName).toBe('Globex');
  });

  it('says in words that the service-role key was refused, and adds nobody', async () => {
    const email = newEmail('nokey');
    const otherProjectKey = (await projectKeys('otherproject')).serviceRoleKey;
    const before = fake.auth.requests.length;

    const error = await failure(add({ email, serviceRoleKey: otherProjectKey }));

    expect(error).toBeInstanceOf(SupabaseAgentError);
    const message = (error as Error).message;
    expect(message).toBe(
      `Supabase at ${fake.url} refused SUPABASE_SERVICE_ROLE_KEY (Invalid API key). Copy this project's service_role key or a secret key (sb_secret_…) from Project Settings → API Keys in the Supabase dashboard.`,
    );
    expect(message).not.toContain(otherProjectKey);
    expect(fake.auth.requests.slice(before)).toEqual([]);
    expect(await authUserCount(email)).toBe(0);
  });

  it('says the anon key is not the service-role key', async () => {
    const error = await failure(add({ email: newEmail('anon'), serviceRoleKey: fake.keys.anonKey }));

    expect((error as Error).message).toMatch(
      new RegExp(`^Supabase at ${fake.url} accepted SUPABASE_SERVICE_ROLE_KEY but not as the service-role key \\(42501 permission denied for function get_agent\\): it looks like the anon or publishable key\\.`),
    );
    expect((error as Error).message).not.toContain(fake.keys.anonKey);
  });

  it('says Supabase cannot be reached', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;

    const error = await failure(addSupabaseAgent({ url, serviceRoleKey: fake.keys.serviceRoleKey, email: newEmail('far'), password: PASSWORD, organizationName: 'Acme' }));

    expect((error as Error).message).toMatch(new RegExp(`^Supabase at ${url} could not be reached \\(.*fetch failed.*\\)\\. Check SUPABASE_URL, and that this machine can reach it\\.$`));
  });

  it('says Supabase refused a weak password, and adds nobody', async () => {
    const strict = await startSupabaseFake(db, { passwordMinLength: 12 });
    try {
      const email = newEmail('weak');
      const error = await failure(addSupabaseAgent({ url: strict.url, serviceRoleKey: strict.keys.serviceRoleKey, email, password: 'short-pw1', organizationName: 'Acme' }));

      expect((error as Error).message).toBe(
        `Supabase refused the password for ${email}: Password should be at least 12 characters. Choose a stronger --password; this project's password rules are in the Supabase dashboard under Authentication.`,
      );
      expect(await authUserCount(email)).toBe(0);
    } finally {
      await strict.close();
    }
  });
});

describe('npm run agent:add with Supabase configured', () => {
  const run = (args: string[], env: Record<string, string>) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'backend/cli/add-agent.ts'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      // Well under the 10 s a lingering Supabase client timer would hold the process for.
      timeout: 8_000,
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }),
    );
  const dataDir = path.join(tmpdir(), `c2c-agent-add-${randomBytes(4).toString('hex')}`);

  it('adds the agent on Supabase, not in the embedded database, and prints one sentence', async () => {
    const email = newEmail('cli');
    const result = await run(['--email', email, '--password', PASSWORD, '--name', 'Cli Agent', '--org', 'Acme'], {
      SUPABASE_URL: fake.url, SUPABASE_SERVICE_ROLE_KEY: fake.keys.serviceRoleKey, DATA_DIR: dataDir,
    });

    expect(result).toEqual({
      code: 0,
      stdout: `Agent ${email} (Cli Agent) is in organization Acme, with a new Supabase Auth account. They can sign in now.\n`,
      stderr: '',
    });
    expect((await auth.login(email, PASSWORD)).agent.displayName).toBe('Cli Agent');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('exits 1 with a sentence and never prints the key', async () => {
    const wrongKey = (await projectKeys('otherproject')).serviceRoleKey;
    const result = await run(['--email', newEmail('cli'), '--password', PASSWORD], {
      SUPABASE_URL: fake.url, SUPABASE_SERVICE_ROLE_KEY: wrongKey, DATA_DIR: dataDir,
    });

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Supabase at \S+ refused SUPABASE_SERVICE_ROLE_KEY \(Invalid API key\)\. .*\n$/);
    expect(result.stderr).not.toContain(wrongKey);
  });
});
