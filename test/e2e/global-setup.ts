// Vitest global setup for the browser tests: finds Chromium, builds the current extension once per run, and tells the e2e files where both are.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

export interface E2eSetup {
  /** Null when Chromium was not found: the browser tests skip (and CI fails before they do). */
  chromiumPath: string | null;
  extensionDir: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: E2eSetup;
  }
}

const ROOT = path.resolve(import.meta.dirname, '../..');
/**
 * Built apart from dist/extension so that a run never clobbers (or tests) someone's own build, and once per run (by process
 * id) so that two runs in the same tree at once never empty each other's directory under a loaded extension.
 */
const E2E_EXTENSION_DIR = path.join(ROOT, 'test-results/e2e-extension', String(process.pid));

/** CHROMIUM_PATH when set (and only it: a wrong path is not silently replaced), else Debian's Chromium. */
export function findChromium(env: NodeJS.ProcessEnv = process.env, exists: (p: string) => boolean = existsSync): string | null {
  const candidates = env.CHROMIUM_PATH ? [env.CHROMIUM_PATH] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p) => exists(p)) ?? null;
}

/** Whether a missing Chromium fails the run instead of skipping the browser tests. */
export function e2eRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.REQUIRE_E2E === '1' || env.CI === 'true';
}

function banner(lines: string[]): string {
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  const bar = '#'.repeat(width);
  return ['', bar, ...lines.map((l) => `# ${l.padEnd(width - 4)} #`), bar, ''].join('\n');
}

export default async function setup(project: TestProject): Promise<void | (() => void)> {
  const chromiumPath = findChromium();
  const required = e2eRequired();
  if (!chromiumPath) {
    const lines = [
      'BROWSER TESTS SKIPPED: Chromium was not found.',
      process.env.CHROMIUM_PATH ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist.` : 'Looked at /usr/bin/chromium and /usr/bin/chromium-browser.',
      'Install it (apt-get install -y chromium) or set CHROMIUM_PATH to run test/e2e.',
    ];
    if (required) throw new Error(banner(['BROWSER TESTS CANNOT RUN, AND REQUIRE_E2E=1 (or CI=true) FAILS THE RUN.', ...lines.slice(1)]));
    process.stderr.write(banner(lines));
    project.provide('e2e', { chromiumPath: null, extensionDir: null });
    // Said again after the summary, where it cannot scroll out of sight.
    return () => {
      process.stderr.write(banner(lines));
    };
  }
  // Always the current code: a fresh build at the start of every run.
  const started = Date.now();
  await promisify(execFile)(path.join(ROOT, 'node_modules/.bin/vite'), ['build', '--outDir', E2E_EXTENSION_DIR, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
    // The detection suite waits for each frame's first-scan mark; ordinary builds make none (pages could read them).
    env: { ...process.env, C2C_TIMING_MARKS: '1' },
  }).catch((error: unknown) => {
    const e = error as { stderr?: string; message?: string };
    throw new Error(`The extension did not build for the browser tests:\n${e.stderr ?? e.message ?? String(error)}`);
  });
  process.stderr.write(`e2e: built the extension into ${path.relative(ROOT, E2E_EXTENSION_DIR)} in ${Date.now() - started} ms; Chromium at ${chromiumPath}\n`);
  project.provide('e2e', { chromiumPath, extensionDir: E2E_EXTENSION_DIR });
  return async () => {
    await rm(E2E_EXTENSION_DIR, { recursive: true, force: true });
  };
}
