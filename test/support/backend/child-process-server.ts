// Runs a TypeScript server entry in its own Node process (real HTTP, its own event loop) and waits for its "ready" line.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** SIGTERM (a clean stop) or SIGKILL (a crash), then waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals | null>;
}

/**
 * Starts `node --import tsx <entry>` (one process, so a signal reaches the server itself, not a wrapper)
 * and resolves when a stdout line matches `ready` with the URL as its first group.
 */
export function startChildServer(
  entry: string,
  env: Record<string, string>,
  options: { ready?: RegExp; timeoutMs?: number; nodeArgs?: string[]; /** The entry's own arguments (main.ts --demo). */ args?: string[] } = {},
): Promise<ChildServer> {
  const ready = options.ready ?? /Backend ready at (http:\/\/\S+)/;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', path.resolve(repoRoot, entry), ...(options.args ?? [])], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not start within ${options.timeoutMs ?? 30_000} ms:\n${out}`));
    }, options.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1]!,
          child,
          output: () => out,
          exited,
          async stop(signal = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => void (out += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited (${String(code)}) before it was ready:\n${out}`));
    });
  });
}
