// Test helper: a throwaway PostgreSQL 15 server (Debian's binaries) on a free port and a temporary directory.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { applyMigrations } from '../../../backend/db/migrate.js';
import { closedPort } from './closed-port.js';
import { createPostgresClient, type PostgresClient, type PostgresClientOptions } from '../../../backend/db/postgres-client.js';

const run = promisify(execFile);

export const POSTGRES_BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresServer {
  port: number;
  /** Connection string of the server's `postgres` database, as the superuser. */
  url(database?: string): string;
  /** A new, empty database on this server; returns its connection string. */
  createDatabase(prefix?: string): Promise<string>;
  /** A new database with the auth shim and every migration applied, and a client for it. */
  migratedDatabase(options?: PostgresClientOptions): Promise<{ url: string; db: PostgresClient }>;
  stop(): Promise<void>;
}

const required = () => process.env.REQUIRE_POSTGRES === '1' || process.env.CI === 'true';

/**
 * Whether the PostgreSQL tests can run here. When the binaries are missing they are skipped with a loud message,
 * unless REQUIRE_POSTGRES=1 or CI=true, where a missing server is an error (a skipped database suite must not pass CI).
 */
export function postgresAvailable(): boolean {
  if (existsSync(path.join(POSTGRES_BIN, 'postgres'))) return true;
  const message = `PostgreSQL 15 is not installed (${POSTGRES_BIN}/postgres is missing): the PostgreSQL tests cannot run. Install it with: apt-get install -y postgresql-15`;
  if (required()) throw new Error(`${message} (REQUIRE_POSTGRES=1 or CI=true makes this an error).`);
  const bar = '!'.repeat(100);
  process.stderr.write(`\n${bar}\n!!! SKIPPING POSTGRESQL 15 TESTS: ${message}\n${bar}\n\n`);
  return false;
}

/** The binaries refuse to run as root: as root, run them as the `postgres` user. */
function asServerUser(cmd: string, args: string[]): [string, string[]] {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

async function serverUserIds(): Promise<{ uid: number; gid: number } | null> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const { stdout } = await run('id', ['-u', 'postgres']);
  const { stdout: g } = await run('id', ['-g', 'postgres']);
  return { uid: Number(stdout.trim()), gid: Number(g.trim()) };
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const root = await mkdtemp(path.join(tmpdir(), 'c2c-pg15-'));
  const ids = await serverUserIds();
  if (ids) await chown(root, ids.uid, ids.gid);
  const data = path.join(root, 'data');
  const logFile = path.join(root, 'server.log');
  await writeFile(logFile, '');
  if (ids) await chown(logFile, ids.uid, ids.gid);

  const [initCmd, initArgs] = asServerUser(path.join(POSTGRES_BIN, 'initdb'), [
    '-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync',
  ]);
  await run(initCmd, initArgs);

  const pgCtl = path.join(POSTGRES_BIN, 'pg_ctl');
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await closedPort();
    const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100`;
    const [cmd, args] = asServerUser(pgCtl, ['-D', data, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
    try {
      await run(cmd, args);
      break;
    } catch (error) {
      // Another process may have taken the port between the probe and the start: try another one.
      if (attempt >= 2) throw new Error(`PostgreSQL 15 did not start: ${(error as Error).message}`, { cause: error });
    }
  }

  const stopSync = () => {
    const [cmd, args] = asServerUser(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
    try {
      execFileSync(cmd, args, { stdio: 'ignore' });
    } catch {
      // Already stopped.
    }
  };
  // A test run that dies must not leave a server behind.
  process.once('exit', stopSync);

  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const server: PostgresServer = {
    port,
    url,
    async createDatabase(prefix = 'c2c') {
      const name = `${prefix}_${randomBytes(6).toString('hex')}`;
      const admin = createPostgresClient(url(), { max: 1 });
      try {
        await admin.exec(`create database ${name}`);
      } finally {
        await admin.close();
      }
      return url(name);
    },
    async migratedDatabase(options) {
      const dbUrl = await server.createDatabase();
      const db = createPostgresClient(dbUrl, options);
      await applyMigrations(db);
      return { url: dbUrl, db };
    },
    async stop() {
      process.off('exit', stopSync);
      const [cmd, args] = asServerUser(pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']);
      await run(cmd, args).catch(() => stopSync());
      await rm(root, { recursive: true, force: true });
    },
  };
  return server;
}
