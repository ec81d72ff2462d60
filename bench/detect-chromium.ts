// The in-browser part of bench:detect, with the extension freshly built: a 5,000-row contact table (first scan, long
// tasks, one-row update, idle cost, several runs) and page-level P/R/F1 asked of the content script through the service worker.
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { readLabelled, score, type Score } from './detect-pages.js';
import { contactRows } from './detect-texts.js';

const ROWS = 5000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LONGTASK_SCRIPT = `<script>
window.__longtasks = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: 'longtask', buffered: true });
window.__frames = [];
try {
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__frames.push({ start: e.startTime, duration: e.duration, blocking: e.blockingDuration, style: e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0 }); }).observe({ type: 'long-animation-frame', buffered: true });
} catch {}
</script>`;

/** The 5,000-row contact table page (also served by bench/detect-profile.ts). */
export function tablePage(): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const rows = contactRows(ROWS, 11)
    .map((r) => `<tr><td>${esc(r.name)}</td><td>${esc(r.company)}</td><td>${esc(r.email)}</td><td>${esc(r.phone)}</td><td>${r.ticket}</td><td>${r.opened}</td><td>${r.score}</td><td>${r.status}</td></tr>`)
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>5,000 contacts</title>${LONGTASK_SCRIPT}</head><body><table id="t"><thead><tr><th>Name</th><th>Company</th><th>Email</th><th>Phone</th><th>Ticket</th><th>Opened</th><th>Score</th><th>Status</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`;
}

interface MarkDetail {
  workMs: number;
  wallMs?: number;
  longestSliceMs: number;
  slices: number;
  numbers: number;
}
interface Mark {
  startTime: number;
  detail: MarkDetail;
  /** The first scan's main-thread CPU time, from a trace (first scan only). */
  cpuMs?: number;
}
interface Task {
  start: number;
  duration: number;
}
/** A long animation frame: the longtask API does not see rendering (style, layout), these entries do. */
interface Frame extends Task {
  blocking: number;
  style: number;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

/** Builds the extension from the working tree into its own directory (never a stale or half-written dist/extension). */
function buildExtension(repoRoot: string): string {
  const outDir = path.join(repoRoot, 'dist/bench-extension');
  console.log(`(building the extension into ${path.relative(repoRoot, outDir)})`);
  // Timing marks are left out of ordinary builds (pages can read them): this one asks for them.
  execSync(`npx vite build --logLevel warn --outDir ${JSON.stringify(outDir)} --emptyOutDir`, { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, C2C_TIMING_MARKS: '1' } });
  return outDir;
}

async function firstScanMark(page: Page): Promise<Mark | null> {
  return page
    .waitForFunction(() => performance.getEntriesByName('c2c:first-scan').map((e) => ({ startTime: e.startTime, detail: (e as PerformanceMark).detail })).at(0) ?? null, null, { timeout: 30_000, polling: 50 })
    .then((h) => h.jsonValue() as Promise<Mark>)
    .catch(() => null);
}

export interface TableRun {
  first: Mark;
  tasksDuringScan: Task[];
  tasksAfterScan: Task[];
  framesDuringScan: Frame[];
  framesAfterScan: Frame[];
  scrollFrames: Frame[];
  update: Mark | null;
  updateTasks: Task[];
  idleUpdates: number;
}

interface TraceEvent {
  name: string;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { data?: { url?: string; message?: string } };
}

/**
 * The main thread's CPU time (thread time, `tdur` in a Chrome trace) of the extension's script calls that ran inside
 * the first scan's window: the same work as the slices' wall time, without the time the thread waited for a core while
 * other processes on the machine ran (on a loaded machine wall time can be twice the work).
 */
function scanCpuMs(events: TraceEvent[], first: Mark, alignNow: number): number {
  const align = events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === 'c2c-bench-align');
  if (!align) return NaN;
  // Trace clock (µs) = page clock (ms) * 1000 + offset.
  const offset = align.ts - alignNow * 1000;
  const end = first.startTime * 1000 + offset;
  const start = end - (first.detail.wallMs ?? 0) * 1000;
  let cpu = 0;
  for (const e of events) {
    if (e.name !== 'FunctionCall' || !String(e.args?.data?.url ?? '').startsWith('chrome-extension://')) continue;
    if (e.ts + (e.dur ?? 0) < start || e.ts > end) continue;
    cpu += e.tdur ?? e.dur ?? 0;
  }
  return cpu / 1000;
}

async function tableRun(context: BrowserContext, url: string): Promise<TableRun | null> {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
    const traced = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline'] }, transferMode: 'ReportEvents' });
    await page.goto(url);
    const first = await firstScanMark(page);
    if (!first) return null;
    // console.timeStamp puts the page's clock into the trace.
    const alignNow = await page.evaluate(() => {
      const now = performance.now();
      console.timeStamp('c2c-bench-align');
      return now;
    });
    await cdp.send('Tracing.end');
    await traced;
    first.cpuMs = scanCpuMs(events, first, alignNow);
    await cdp.detach();
    // The sheet is added at the end of the scan and painted in the next frames: count those frames too.
    await page.waitForTimeout(1000);
    const scanStart = first.startTime - (first.detail.wallMs ?? 0);
    const tasks = (await page.evaluate(() => (window as unknown as { __longtasks: Task[] }).__longtasks)) as Task[];
    const tasksDuringScan = tasks.filter((t) => t.start + t.duration >= scanStart && t.start <= first.startTime);
    const tasksAfterScan = tasks.filter((t) => t.start > first.startTime && t.start <= first.startTime + 1000);
    const frames = (await page.evaluate(() => (window as unknown as { __frames: Frame[] }).__frames)) as Frame[];
    // Frames whose rendering ends inside the scan, and frames that start in the second after it.
    const framesDuringScan = frames.filter((f) => f.start + f.duration >= scanStart && f.start + f.duration <= first.startTime);
    const framesAfterScan = frames.filter((f) => f.start + f.duration > first.startTime && f.start <= first.startTime + 1000);
    const before = tasks.length;
    await page.evaluate(() => {
      performance.clearMarks('c2c:update');
      document.querySelector('#t tbody tr:nth-child(2500) td:nth-child(4)')!.textContent = '(646) 555-0149';
    });
    const update = (await page
      .waitForFunction(() => performance.getEntriesByName('c2c:update').map((e) => ({ startTime: e.startTime, detail: (e as PerformanceMark).detail })).at(-1) ?? null, null, { timeout: 10_000 })
      .then((h) => h.jsonValue())
      .catch(() => null)) as Mark | null;
    await page.waitForTimeout(300);
    const updateTasks = ((await page.evaluate(() => (window as unknown as { __longtasks: Task[] }).__longtasks)) as Task[]).slice(before);
    await page.evaluate(() => performance.clearMarks('c2c:update'));
    await page.waitForTimeout(1500);
    const idleUpdates = await page.evaluate(() => performance.getEntriesByName('c2c:update').length);
    // Scrolling: the painted highlight follows the viewport (IntersectionObserver over the numbers' elements).
    const scrollFrom = await page.evaluate(() => performance.now());
    for (let i = 0; i < 10; i++) {
      await page.mouse.wheel(0, 1500);
      await page.waitForTimeout(60);
    }
    await page.waitForTimeout(200);
    const scrollFrames = ((await page.evaluate(() => (window as unknown as { __frames: Frame[] }).__frames)) as Frame[]).filter((f) => f.start >= scrollFrom);
    return { scrollFrames, first, tasksDuringScan, tasksAfterScan, framesDuringScan, framesAfterScan, update, updateTasks, idleUpdates };
  } finally {
    await page.close();
  }
}

const maxOf = (tasks: Task[]) => (tasks.length ? Math.max(...tasks.map((t) => t.duration)) : 0);
const maxStyle = (frames: Frame[]) => (frames.length ? Math.max(...frames.map((f) => f.style)) : 0);
const maxBlocking = (frames: Frame[]) => (frames.length ? Math.max(...frames.map((f) => f.blocking)) : 0);

function tableReport(title: string, runs: TableRun[]): void {
  console.log(`\n== ${title} ==`);
  const col = (f: (r: TableRun) => number, digits = 1) => Object.fromEntries([...runs.map((r, i) => [`run ${i + 1}`, f(r).toFixed(digits)]), ['median', median(runs.map(f)).toFixed(digits)]]);
  console.table([
    { measure: 'numbers offered after first scan', ...col((r) => r.first.detail.numbers, 0) },
    { measure: 'first scan: main-thread work of our slices (ms)', ...col((r) => r.first.detail.workMs) },
    { measure: 'first scan: CPU time of our script calls (thread time, ms)', ...col((r) => r.first.cpuMs ?? NaN) },
    { measure: 'first scan: wall time to done (ms)', ...col((r) => r.first.detail.wallMs ?? NaN) },
    { measure: 'first scan: longest slice (ms)', ...col((r) => r.first.detail.longestSliceMs) },
    { measure: 'first scan: slices', ...col((r) => r.first.detail.slices, 0) },
    { measure: 'long tasks (>50 ms) during the scan, any source', ...col((r) => r.tasksDuringScan.length, 0) },
    { measure: 'longest task during the scan (ms, 0 = none)', ...col((r) => maxOf(r.tasksDuringScan)) },
    { measure: 'long tasks in the 1 s after (highlight sheet + paint)', ...col((r) => r.tasksAfterScan.length, 0) },
    { measure: 'longest task in that second (ms, 0 = none)', ...col((r) => maxOf(r.tasksAfterScan)) },
    { measure: 'long animation frames ending in the scan: max blocking (ms)', ...col((r) => maxBlocking(r.framesDuringScan)) },
    { measure: '  and their longest style+layout (ms)', ...col((r) => maxStyle(r.framesDuringScan)) },
    { measure: 'long animation frames in the 1 s after: max blocking (ms)', ...col((r) => maxBlocking(r.framesAfterScan)) },
    { measure: '  and their longest style+layout (ms) (highlight sheet restyle)', ...col((r) => maxStyle(r.framesAfterScan)) },
    { measure: 'one row changed: our work (ms)', ...col((r) => r.update?.detail.workMs ?? NaN, 2) },
    { measure: 'one row changed: long tasks within 300 ms', ...col((r) => r.updateTasks.length, 0) },
    { measure: 'idle page: work runs in 1.5 s after', ...col((r) => r.idleUpdates, 0) },
    { measure: 'scrolling 10 × 1500 px: long animation frames', ...col((r) => r.scrollFrames.length, 0) },
    { measure: '  their max blocking (ms)', ...col((r) => maxBlocking(r.scrollFrames)) },
  ]);
}

/** The table runs, alternating with a baseline build when one is given (same machine, same moments). */
async function tableBench(context: BrowserContext, baseline: BrowserContext | null, baseUrl: string): Promise<{ ours: TableRun[]; theirs: TableRun[] }> {
  const ours: TableRun[] = [];
  const theirs: TableRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await tableRun(context, `${baseUrl}/contacts`);
    if (!r) {
      console.log('(no c2c:first-scan mark within 30 s)');
      return { ours: [], theirs: [] };
    }
    ours.push(r);
    if (baseline) {
      const b = await tableRun(baseline, `${baseUrl}/contacts`);
      if (b) theirs.push(b);
    }
  }
  const what = `${ROWS.toLocaleString('en')}-row contact table, ${RUNS} runs (fresh tab each)`;
  tableReport(`Chromium, extension built from the working tree: ${what}`, ours);
  if (baseline) tableReport(`Chromium, BASELINE extension (${process.env.BENCH_BASELINE_EXTENSION}), runs alternated with the above: ${what}`, theirs);
  return { ours, theirs };
}

/** Medians over runs of the figures the summary reports. */
export function tableFigures(runs: TableRun[]): Record<string, number> | null {
  if (runs.length === 0) return null;
  const m = (f: (r: TableRun) => number) => median(runs.map(f));
  return {
    workMs: m((r) => r.first.detail.workMs),
    cpuMs: m((r) => r.first.cpuMs ?? NaN),
    wallMs: m((r) => r.first.detail.wallMs ?? NaN),
    longestSliceMs: m((r) => r.first.detail.longestSliceMs),
    longestTaskDuringScanMs: m((r) => maxOf(r.tasksDuringScan)),
    frameBlockingDuringScanMs: m((r) => maxBlocking(r.framesDuringScan)),
    restyleAfterScanMs: m((r) => maxStyle(r.framesAfterScan)),
    frameBlockingAfterScanMs: m((r) => maxBlocking(r.framesAfterScan)),
    updateWorkMs: m((r) => r.update?.detail.workMs ?? NaN),
    idleRuns: m((r) => r.idleUpdates),
    scrollLongFrames: m((r) => r.scrollFrames.length),
  };
}

/** Loads each labelled page and asks the content script, through the service worker, which numbers it offers. */
async function offeredInChromium(context: BrowserContext, sw: Worker, url: string): Promise<string[] | null> {
  const page = await context.newPage();
  try {
    await page.goto(url);
    if (!(await firstScanMark(page))) return null;
    await page.waitForTimeout(1200); // late elements (components.html adds one after 500 ms) and their update
    const listed = (await sw.evaluate(async (pageUrl) => {
      const [tab] = await chrome.tabs.query({ url: pageUrl });
      if (tab?.id === undefined) return null;
      return chrome.tabs.sendMessage(tab.id, { type: 'c2c:list-numbers' }, { frameId: 0 });
    }, url)) as { e164: string }[] | null;
    return listed ? listed.map((n) => n.e164) : null;
  } finally {
    await page.close();
  }
}

export async function chromiumScores(context: BrowserContext, sw: Worker, sets: [string, string][], serve: (dir: string) => Promise<string>): Promise<{ name: string; score: Score }[]> {
  const out: { name: string; score: Score }[] = [];
  for (const [name, dir] of sets) {
    const labelled = await readLabelled(dir);
    const base = await serve(dir);
    const results: Record<string, string[]> = {};
    for (const page of Object.keys(labelled.pages)) {
      const got = await offeredInChromium(context, sw, `${base}/${page}`);
      if (got === null) console.log(`  ${name}/${page}: no answer from the content script`);
      results[page] = got ?? [];
    }
    out.push({ name, score: score(results, labelled) });
  }
  return out;
}

/**
 * What each rendering check of the DOM layer costs per node on the 5,000-row table, in the page (main world; the content
 * script's isolated world pays about as much again for each wrapper): the price of deciding from computed styles.
 * A string is evaluated, not a function: tsx's helpers would not exist in the page.
 */
async function renderingCosts(context: BrowserContext, baseUrl: string): Promise<void> {
  const page = await context.newPage();
  try {
    await page.goto(`${baseUrl}/contacts`);
    const rows = (await page.evaluate(`(() => {
      const cells = [...document.querySelectorAll('#t tbody td:nth-child(4)')];
      const each = (f) => { const s = performance.now(); for (const e of cells) f(e); return (performance.now() - s) * 1000 / cells.length; };
      const once = (f) => { const s = performance.now(); f(); return performance.now() - s; };
      const io = new IntersectionObserver(() => {}, { rootMargin: '100% 0px' });
      return [
        ['checkVisibility({ visibilityProperty, opacityProperty })', each((e) => e.checkVisibility({ visibilityProperty: true, opacityProperty: true })), 'per number, always'],
        ['offsetWidth + offsetHeight (a layout box)', each((e) => e.offsetWidth + e.offsetHeight), 'not paid: the observer measures boxes'],
        ['getBoundingClientRect()', each((e) => e.getBoundingClientRect().width), 'not paid'],
        ['getComputedStyle(el).display', each((e) => getComputedStyle(e).display), 'only for lines of several text nodes'],
        ['getComputedStyle(parent).display', each((e) => getComputedStyle(e.parentElement).display), 'only for lines of several text nodes'],
        ['IntersectionObserver.observe()', each((e) => io.observe(e)), 'per number (painting near the viewport)'],
        ['whole table: JS walk of every node (firstChild/nextSibling)', once(() => { let n = document.body.firstChild; const root = document.body; while (n) { if (n.firstChild) { n = n.firstChild; continue; } while (n && !n.nextSibling) { n = n.parentNode; if (n === root) n = null; } n = n && n.nextSibling; } }) * 1000 / cells.length, 'per row: the walk before'],
        ['whole table: TreeWalker over text nodes, data read', once(() => { const w = document.createTreeWalker(document.body, 4); for (let t = w.nextNode(); t; t = w.nextNode()) t.data.length; }) * 1000 / cells.length, 'per row: the walk now'],
      ];
    })()`)) as [string, number, string][];
    console.log('\n== Cost of the rendering checks, per node (µs, main world, 5,000-row table) ==');
    console.table(rows.map(([check, us, when]) => ({ check, 'µs': us.toFixed(2), 'paid when': when })));
  } finally {
    await page.close();
  }
}

export interface ChromiumResult {
  scores: { name: string; score: Score }[];
  ours: TableRun[];
  theirs: TableRun[];
}

export async function chromiumBench(repoRoot: string, sets: [string, string][]): Promise<ChromiumResult | null> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    console.log(`\n(Chromium part skipped: no Chromium at ${executablePath}; apt-get install -y chromium, or set CHROMIUM_PATH)`);
    return null;
  }
  const extensionDir = buildExtension(repoRoot);
  const { chromium } = await import('playwright-core');
  const table = tablePage();
  const dirs = new Map<string, string>();
  const server = createServer((req, res) => {
    const [, prefix, ...rest] = (req.url ?? '/').split('?')[0]!.split('/');
    const dir = dirs.get(prefix ?? '');
    if (prefix === 'contacts') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(table);
      return;
    }
    const file = dir ? path.join(dir, path.basename(rest.join('/'))) : '';
    if (!file || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'c2c-bench-'));
  const launch = (dir: string, profileDir: string) =>
    chromium.launchPersistentContext(profileDir, {
      executablePath,
      headless: true,
      args: ['--headless=new', `--disable-extensions-except=${dir}`, `--load-extension=${dir}`, '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  const context = await launch(extensionDir, profile);
  // BENCH_BASELINE_EXTENSION=<built extension dir>: an older build measured in the same run, runs alternated.
  const baselineDir = process.env.BENCH_BASELINE_EXTENSION;
  const baselineProfile = baselineDir ? mkdtempSync(path.join(os.tmpdir(), 'c2c-bench-base-')) : null;
  const baseline = baselineDir && baselineProfile ? await launch(baselineDir, baselineProfile) : null;
  try {
    const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
    const scores = await chromiumScores(context, sw, sets, async (dir) => {
      const key = `set${dirs.size}`;
      dirs.set(key, dir);
      return `${baseUrl}/${key}`;
    });
    const table = await tableBench(context, baseline, baseUrl);
    await renderingCosts(context, baseUrl);
    return { scores, ...table };
  } finally {
    await context.close();
    await baseline?.close();
    if (baselineProfile) rmSync(baselineProfile, { recursive: true, force: true });
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
