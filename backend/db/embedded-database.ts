// Opens the embedded PostgreSQL (PGlite) in DATA_DIR and brings its schema up to date.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { lockDataDir, restrictTree, type DataDirLock } from './data-dir-lock.js';
import { applyMigrations, type MigrationResult } from './migrate.js';
import type { SqlClient } from './sql-client.js';

export interface EmbeddedDatabase extends SqlClient {
  migrations: MigrationResult;
}

export interface EmbeddedDatabaseOptions {
  /**
   * 'worker' (the default) runs PGlite in a worker thread of its own, so the database and the HTTP handling use two
   * cores; 'inline' runs it on the calling thread.
   */
  thread?: 'worker' | 'inline';
  /** Who takes DATA_DIR's lock ('server' by default, 'agent:add'…) and how long to wait for a holder to exit. */
  lock?: { purpose: string; waitSeconds?: number };
}

/** `dataDir` null keeps everything in memory (tests); otherwise data survives restarts. */
export async function openEmbeddedDatabase(dataDir: string | null, options: EmbeddedDatabaseOptions = {}): Promise<EmbeddedDatabase> {
  let dir: string | undefined;
  let lock: DataDirLock | null = null;
  if (dataDir) {
    // Before anything is written: a second process on the same files would lose (or corrupt) the first one's writes.
    lock = await lockDataDir(dataDir, options.lock ?? { purpose: 'server' });
    dir = path.resolve(dataDir, 'pglite');
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await restrictTree(path.resolve(dataDir));
    } catch (error) {
      await lock.release();
      throw error;
    }
  }
  let client: SqlClient;
  try {
    client = (options.thread ?? 'worker') === 'worker' ? await openInWorker(dir) : await openInline(dir);
  } catch (error) {
    await lock?.release();
    throw error;
  }
  try {
    const migrations = await applyMigrations(client);
    // PGlite sets the modes of the cluster it unpacks itself (0666): narrowed once it is there, and again at close.
    if (dataDir) await restrictTree(path.resolve(dataDir));
    let closing: Promise<void> | null = null;
    return {
      ...client,
      migrations,
      close() {
        closing ??= client
          .close()
          .then(() => (dataDir ? restrictTree(path.resolve(dataDir)) : undefined))
          .finally(() => lock?.release());
        return closing;
      },
    };
  } catch (error) {
    await client.close().catch(() => undefined);
    await lock?.release();
    throw error;
  }
}

async function openInline(dir: string | undefined): Promise<SqlClient> {
  // Loaded only here: in worker mode the main thread never needs PGlite, and not loading it lets the worker start sooner.
  const { openPGlite } = await import('./pglite-template.mjs');
  const pg = await openPGlite(dir ?? null);
  let closing: Promise<void> | null = null;
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      const r = await pg.query<T>(sql, params);
      return { rows: r.rows };
    },
    async exec(sql: string) {
      await pg.exec(sql);
    },
    close() {
      closing ??= pg.close();
      return closing;
    },
  };
}

/** A database error from the worker, with PostgreSQL's fields (code, detail, hint…) as PGlite gave them. */
class EmbeddedDatabaseError extends Error {
  [field: string]: unknown;
  constructor(data: Record<string, unknown>) {
    super(String(data.message ?? 'The embedded database failed.'));
    for (const [key, value] of Object.entries(data)) if (key !== 'message' && key !== 'stack') this[key] = value;
  }
}

type Reply = { id: number; ok: true; rows?: unknown[] } | { id: number; ok: false; error: Record<string, unknown> };

async function openInWorker(dir: string | undefined): Promise<SqlClient> {
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: { dataDir: dir ?? null } });
  const pending = new Map<number, { resolve(reply: Reply): void; reject(error: unknown): void }>();
  let nextId = 1;
  let failure: Error | null = null;
  let closing: Promise<void> | null = null;

  const failAll = (error: Error) => {
    failure ??= error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  await new Promise<void>((resolve, reject) => {
    const onReady = (message: { ready?: boolean; error?: Record<string, unknown> }) => {
      worker.off('error', reject);
      if (message.ready) resolve();
      else reject(new EmbeddedDatabaseError(message.error ?? {}));
    };
    worker.once('message', onReady);
    worker.once('error', reject);
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  worker.on('message', (reply: Reply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    p.resolve(reply);
  });
  worker.on('error', (error: unknown) =>
    failAll(new Error(`The embedded database thread failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error })),
  );
  worker.on('exit', (code) => failAll(new Error(`The embedded database thread stopped (exit code ${code}).`)));
  // Idle, the thread does not keep the process alive; while a statement is under way, it does.
  worker.unref();

  function send(op: 'query' | 'exec' | 'close', sql?: string, params?: unknown[]): Promise<Reply> {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise<Reply>((resolve, reject) => {
      if (pending.size === 0) worker.ref();
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, sql, params });
    }).then((reply) => {
      if (!reply.ok) throw new EmbeddedDatabaseError(reply.error);
      return reply;
    });
  }

  return {
    async query<T>(sql: string, params: unknown[] = []) {
      if (closing) throw new Error('The embedded database is closed.');
      const reply = await send('query', sql, params);
      return { rows: (reply.ok ? reply.rows ?? [] : []) as T[] };
    },
    async exec(sql: string) {
      if (closing) throw new Error('The embedded database is closed.');
      await send('exec', sql);
    },
    close() {
      closing ??= (async () => {
        if (!failure) {
          const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
          await send('close');
          worker.ref(); // until it has exited
          await exited;
        }
      })();
      return closing;
    },
  };
}
