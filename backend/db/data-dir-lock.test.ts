// One writer per embedded database: a second server and agent:add refuse while a server holds DATA_DIR, naming its pid;
// a rolling restart waits for the lock; DATA_DIR is 0700 and its files 0600 even under a permissive umask.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildServer, type ChildServer } from '../../test/support/backend/child-process-server.js';
import { DataDirLockedError, lockDataDir, LOCK_FILE } from './data-dir-lock.js';
import { openEmbeddedDatabase } from './embedded-database.js';

const run = promisify(execFile);
const dirs: string[] = [];
const servers: ChildServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop('SIGKILL').catch(() => undefined);
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function dataDir() {
  const d = await mkdtemp(path.join(tmpdir(), 'c2c-lock-'));
  dirs.push(d);
  return d;
}

const env = (dir: string) => ({ PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'silent', DEMO_PASSWORD: 'demo-password-1', DATA_DIR_LOCK_WAIT_SECONDS: '0' });

async function addAgent(dir: string) {
  return run(process.execPath, ['--import', 'tsx', 'backend/cli/add-agent.ts', '--email', 'new@acme.test', '--password', 'a long password'], {
    env: { ...process.env, DATA_DIR: dir },
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
}

async function modes(dir: string): Promise<Array<{ file: string; mode: string }>> {
  const out: Array<{ file: string; mode: string }> = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const p = path.join(entry.parentPath, entry.name);
    out.push({ file: path.relative(dir, p), mode: ((await stat(p)).mode & 0o777).toString(8) });
  }
  return out;
}

describe('one writer per DATA_DIR', () => {
  it('refuses a second server and agent:add while a server runs, naming its pid, and lets agent:add in once it stopped', async () => {
    const dir = await dataDir();
    const first = await startChildServer('backend/main.ts', env(dir));
    servers.push(first);
    const pid = first.child.pid!;

    const second = await startChildServer('backend/main.ts', env(dir)).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(second).toMatch(new RegExp(`exited \\(1\\)[\\s\\S]*DATA_DIR ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by another process \\(pid ${pid}, server since`));

    const refused = await addAgent(dir);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(new RegExp(`in use by another process \\(pid ${pid}, server since .*Stop that server first`));
    expect(refused.out).not.toMatch(/They can sign in now/);

    // The first server is unharmed and still answers.
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
    await first.stop('SIGTERM');
    const added = await addAgent(dir);
    expect(added).toMatchObject({ code: 0, out: expect.stringMatching(/They can sign in now/) });
  }, 90_000);

  it('takes over the lock of a server that was killed, and waits for a holder that is about to exit', async () => {
    const dir = await dataDir();
    const killed = await startChildServer('backend/main.ts', env(dir));
    await killed.stop('SIGKILL');
    const next = await startChildServer('backend/main.ts', env(dir));
    servers.push(next);
    expect((await fetch(`${next.url}/health`)).status).toBe(200);
    // A rolling restart: the new process starts first and waits for the old one's lock.
    const waiting = startChildServer('backend/main.ts', { ...env(dir), DATA_DIR_LOCK_WAIT_SECONDS: '30' });
    await next.stop('SIGTERM');
    const after = await waiting;
    servers.push(after);
    expect((await fetch(`${after.url}/health`)).status).toBe(200);
    await after.stop('SIGTERM');
  }, 90_000);

  it('refuses in-process too, with an error that names the holder', async () => {
    const dir = await dataDir();
    await writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, purpose: 'server', startedAt: 'earlier' }));
    const error = await lockDataDir(dir, { purpose: 'agent:add' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as Error).message).toMatch(`(pid ${process.ppid}, server since earlier)`);
  });
});

describe('DATA_DIR permissions', () => {
  it('keeps DATA_DIR 0700 and every file in it 0600, also when the process umask would allow more', async () => {
    const dir = await dataDir();
    const before = process.umask(0);
    try {
      const db = await openEmbeddedDatabase(dir);
      await db.query(`insert into auth.users (email, encrypted_password) values ('x@acme.test', 'scrypt$hash')`);
      await db.close();
    } finally {
      process.umask(before);
    }
    expect(((await stat(dir)).mode & 0o777).toString(8)).toBe('700');
    const all = await modes(dir);
    expect(all.length).toBeGreaterThan(100);
    expect(all.filter((f) => f.mode !== '600' && f.mode !== '700')).toEqual([]);
  });
});
