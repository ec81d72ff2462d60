// npx tsx bench/detect-profile.ts — where the first scan of the 5,000-row table spends its time: a CPU profile (CDP
// Profiler) of the content script, built unminified from the working tree, summed by function (self and total time).
// A tool for finding the cost, not a benchmark: the figures that count are bench:detect's (same run, beside a baseline).
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { tablePage } from './detect-chromium.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TOP = Number(process.env.PROFILE_TOP ?? 40);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

async function buildUnminified(): Promise<string> {
  const outDir = path.join(repoRoot, 'dist/profile-extension');
  execSync(`npx vite build --logLevel warn --outDir ${JSON.stringify(outDir)} --emptyOutDir`, { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, C2C_TIMING_MARKS: '1' } });
  // The same content script, unminified, so the profile names our functions.
  await build({
    configFile: false,
    logLevel: 'warn',
    define: { __C2C_TIMING_MARKS__: 'true' },
    build: {
      outDir,
      emptyOutDir: false,
      copyPublicDir: false,
      minify: false,
      lib: { entry: path.join(repoRoot, 'extension/content/main.ts'), formats: ['iife'], name: 'c2cContentScript', fileName: () => 'content-script.js' },
    },
  });
  return outDir;
}

/** Self and total time (ms) per function, only samples inside [from, to] (profile clock, µs). */
function summarise(profile: Profile, from: number, to: number): { self: Map<string, number>; total: Map<string, number>; all: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n: ProfileNode) => {
    const f = n.callFrame;
    const file = f.url ? path.basename(f.url) : '';
    return `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let t = profile.startTime;
  let all = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (t < from || t > to) continue;
    let node = byId.get(profile.samples[i]!)!;
    const leaf = name(node);
    if (leaf.startsWith('(idle)') || leaf.startsWith('(program)') || leaf.startsWith('(garbage')) {
      self.set(leaf, (self.get(leaf) ?? 0) + dt);
      continue;
    }
    all += dt;
    self.set(leaf, (self.get(leaf) ?? 0) + dt);
    const seen = new Set<string>();
    for (;;) {
      const k = name(node);
      if (!seen.has(k)) {
        seen.add(k);
        total.set(k, (total.get(k) ?? 0) + dt);
      }
      const p = parent.get(node.id);
      if (p === undefined) break;
      node = byId.get(p)!;
    }
  }
  return { self, total, all };
}

async function main(): Promise<void> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const extensionDir = process.env.PROFILE_EXTENSION ?? (await buildUnminified());
  const { chromium } = await import('playwright-core');
  const table = tablePage();
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(table);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/contacts`;
  const profileDir = mkdtempSync(path.join(os.tmpdir(), 'c2c-profile-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args: ['--headless=new', `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    for (let run = 0; run < RUNS; run++) {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
      await cdp.send('Profiler.start');
      await page.goto(url);
      const mark = (await page
        .waitForFunction(() => performance.getEntriesByName('c2c:first-scan').map((e) => ({ startTime: e.startTime, detail: (e as PerformanceMark).detail })).at(0) ?? null, null, { timeout: 30_000, polling: 50 })
        .then((h) => h.jsonValue())) as { startTime: number; detail: { workMs: number; wallMs: number; slices: number; numbers: number } };
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
      // The page's clock and the profile's differ: align on the profile's end (now) and the mark's time.
      const pageNow = await page.evaluate(() => performance.now());
      const profileEnd = profile.startTime + profile.timeDeltas.reduce((a, b) => a + b, 0);
      const scanEnd = profileEnd - (pageNow - mark.startTime) * 1000;
      const scanStart = scanEnd - mark.detail.wallMs * 1000;
      const { self, total, all } = summarise(profile, scanStart, scanEnd + 2000);
      console.log(`\n== run ${run + 1}: first scan work ${mark.detail.workMs.toFixed(1)} ms, wall ${mark.detail.wallMs.toFixed(1)} ms, ${mark.detail.slices} slices, ${mark.detail.numbers} numbers; JS samples in the scan window ${all.toFixed(1)} ms ==`);
      const rows = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, TOP).map(([fn, ms]) => ({ function: fn.slice(0, 90), ms: ms.toFixed(1) }));
      console.log('-- self time --');
      console.table(rows(self));
      if (process.env.PROFILE_TOTAL) {
        console.log('-- total time --');
        console.table(rows(total));
      }
      await page.close();
    }
  } finally {
    await context.close();
    server.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
}

await main();
