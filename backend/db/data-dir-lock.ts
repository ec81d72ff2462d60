// One writer per embedded database: an exclusive lock file in DATA_DIR naming the process that holds it, and the
// directory kept private (0700, files 0600): the database holds the agents' password hashes.
import { constants } from 'node:fs';
import { chmod, mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';

export const LOCK_FILE = 'server.lock';

interface LockRecord {
  pid: number;
  purpose: string;
  startedAt: string;
}

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  constructor(readonly dir: string, readonly holder: LockRecord, purpose: string) {
    super(
      `DATA_DIR ${dir} is in use by another process (pid ${holder.pid}, ${holder.purpose} since ${holder.startedAt}): the embedded database takes one writer at a time. ` +
        (purpose === 'agent:add'
          ? 'Stop that server first (Ctrl+C, or kill ' + holder.pid + '), then run npm run agent:add again; the agent can sign in once the server is started again.'
          : `Stop it first (kill ${holder.pid}), or give this server another DATA_DIR.`),
    );
  }
}

export interface DataDirLock {
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  // Our own pid in the file is a previous life of this process id (a container's pid 1 restarting), not a holder.
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(file: string): Promise<LockRecord | null> {
  try {
    const record = JSON.parse(await readFile(file, 'utf8')) as LockRecord;
    return Number.isInteger(record.pid) ? record : null;
  } catch {
    return null;
  }
}

/**
 * Takes DATA_DIR's lock, waiting up to `waitSeconds` for a holder to exit (a rolling restart starts the new process
 * before the old one has stopped). A lock whose process is gone (kill -9, a crash) is taken over. Hand-written: Node
 * has no flock(), and a lock file naming its pid lets the refusal say which process to stop. Two processes that find
 * the same dead holder at the same instant could both take over; that needs two starts within a millisecond of each
 * other after a crash, and the file's O_EXCL create still stops every start while a holder lives.
 */
export async function lockDataDir(dataDir: string, options: { purpose: string; waitSeconds?: number }): Promise<DataDirLock> {
  const dir = path.resolve(dataDir);
  await makePrivateDir(dir);
  const file = path.join(dir, LOCK_FILE);
  const record: LockRecord = { pid: process.pid, purpose: options.purpose, startedAt: new Date().toISOString() };
  const deadline = Date.now() + (options.waitSeconds ?? 0) * 1000;
  for (;;) {
    try {
      const handle = await open(file, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
      await handle.writeFile(JSON.stringify(record));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readHolder(file);
    if (!holder || !alive(holder.pid)) {
      // Gone without releasing (or a half-written file): take it over.
      await unlink(file).catch(() => undefined);
      continue;
    }
    if (Date.now() >= deadline) throw new DataDirLockedError(dir, holder, options.purpose);
    await new Promise((r) => setTimeout(r, 250));
  }
  // Released on any exit, also process.exit() from a signal handler; kill -9 leaves it, and the next start takes it over.
  const onExit = () => {
    try {
      unlinkSync(file);
    } catch {
      // Already gone.
    }
  };
  process.once('exit', onExit);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      process.off('exit', onExit);
      const holder = await readHolder(file);
      if (holder?.pid === process.pid) await unlink(file).catch(() => undefined);
    },
  };
}

/**
 * DATA_DIR created 0700, and files created from now on 0600 (umask 077: PGlite creates its files with mode 0666
 * and the umask decides). The umask is process-wide and cannot be set from a worker thread; the server and the CLI own
 * their processes.
 */
async function makePrivateDir(dir: string): Promise<void> {
  if (isMainThread) process.umask(0o077);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

/** Files and folders under `dir` made 0600 and 0700, for a DATA_DIR written before (or by a process with a wider umask). */
export async function restrictTree(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      await chmod(p, 0o700);
      await restrictTree(p);
    } else if (entry.isFile()) await chmod(p, 0o600);
  }
}
