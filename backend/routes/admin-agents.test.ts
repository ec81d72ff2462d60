// Who may manage an organization: admin agents of that organization and the server's own command line; nobody else.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_CLI_ORGANIZATION_HEADER, ADMIN_CLI_TOKEN_HEADER } from '../admin/admin-cli-token.js';
import { startChildServer, type ChildServer } from '../../test/support/backend/child-process-server.js';
import { createTestBackend, type TestBackend } from '../../test/support/backend/test-backend.js';

let t: TestBackend;
beforeAll(async () => {
  t = await createTestBackend();
  await t.db.query(`update public.voip_users set role = 'admin' where id = $1`, [t.agents.alice.id]);
});
afterAll(() => t.close());

const putRole = (headers: Record<string, string>, body: unknown) =>
  t.app.request('/api/admin/agents/role', { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const roleOf = async (id: string) => (await t.db.query<{ role: string }>('select role from public.voip_users where id = $1', [id])).rows[0]!.role;

describe('changing an agent\'s role', () => {
  it('is refused to an agent who is not an admin, and nothing changes', async () => {
    const res = await putRole({ authorization: `Bearer ${await t.login('bob@acme.test')}` }, { email: 'bob@acme.test', role: 'admin' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'not-an-admin' } });
    expect(await roleOf(t.agents.bob.id)).toBe('agent');
  });

  it('is refused without a token and with a forged command-line token', async () => {
    expect((await putRole({}, { email: 'bob@acme.test', role: 'admin' })).status).toBe(401);
    const forged = await putRole({ [ADMIN_CLI_TOKEN_HEADER]: 'x'.repeat(43), [ADMIN_CLI_ORGANIZATION_HEADER]: 'Acme' }, { email: 'bob@acme.test', role: 'admin' });
    expect(forged.status).toBe(401);
    expect(await roleOf(t.agents.bob.id)).toBe('agent');
  });

  it('lets an admin change an agent of their organization, never one of another organization', async () => {
    const alice = { authorization: `Bearer ${await t.login('alice@acme.test')}` };
    const other = await putRole(alice, { email: 'eve@globex.test', role: 'admin' });
    expect(other.status).toBe(404);
    expect(await roleOf(t.agents.eve.id)).toBe('agent');
    const res = await putRole(alice, { email: 'BOB@acme.test', role: 'admin' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ agent: { email: 'bob@acme.test', role: 'admin' } });
    expect(await roleOf(t.agents.bob.id)).toBe('admin');
    await putRole(alice, { email: 'bob@acme.test', role: 'agent' });
  });

  it('lets the command line act on the organization it names, with the server\'s token', async () => {
    const cli = { [ADMIN_CLI_TOKEN_HEADER]: t.deps.adminCliToken!, [ADMIN_CLI_ORGANIZATION_HEADER]: 'Globex' };
    expect((await putRole(cli, { email: 'bob@acme.test', role: 'admin' })).status).toBe(404);
    expect((await putRole({ ...cli, [ADMIN_CLI_ORGANIZATION_HEADER]: 'Nobody Inc' }, { email: 'eve@globex.test', role: 'admin' })).status).toBe(404);
    expect((await putRole(cli, { email: 'eve@globex.test', role: 'admin' })).status).toBe(200);
    expect(await roleOf(t.agents.eve.id)).toBe('admin');
  });

  it('refuses a role that does not exist', async () => {
    const res = await putRole({ authorization: `Bearer ${await t.login('alice@acme.test')}` }, { email: 'bob@acme.test', role: 'owner' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toBe('The role must be agent or admin.');
  });
});

describe('npm run agent:role against the running server', () => {
  let dataDir: string;
  let server: ChildServer | undefined;
  afterAll(async () => {
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const run = (args: string[], env: Record<string, string>) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'backend/cli/set-agent-role.ts', ...args], { env: { ...process.env, ...env } }).then(
      (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
    );

  it('changes the role over the server\'s API while the server holds the database, and says why when it cannot', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'c2c-admin-cli-'));
    const offline = await run(['--org', 'Demo', '--email', 'demo@example.com', '--role', 'agent'], { DATA_DIR: dataDir });
    expect(offline.code).toBe(1);
    expect(offline.err).toMatch(/start the server once/);

    server = await startChildServer('backend/main.ts', { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_PASSWORD: 'demo-password-1' });
    const env = { DATA_DIR: dataDir, SERVER_URL: server.url };
    const done = await run(['--org', 'Demo', '--email', 'demo@example.com', '--role', 'agent'], env);
    expect(done).toMatchObject({ code: 0, out: 'Demo Agent (demo@example.com) is now an agent of Demo.\n' });
    const missing = await run(['--org', 'Demo', '--email', 'nobody@example.com', '--role', 'admin'], env);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('This organization has no agent with the email nobody@example.com.\n');
    const usage = await run(['--org', 'Demo', '--email', 'demo@example.com'], env);
    expect(usage.err).toMatch(/^--role must be agent or admin\. Usage: npm run agent:role/);
  }, 60_000);
});
