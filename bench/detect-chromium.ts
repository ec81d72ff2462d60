// The in-browser part of bench:detect: the built extension in Chromium on a 5,000-row contact table.
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { contactRows } from './detect-texts.js';

const ROWS = 5000;

function tablePage(): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const rows = contactRows(ROWS, 11)
    .map((r) => `<tr><td>${esc(r.name)}</td><td>${esc(r.company)}</td><td>${esc(r.email)}</td><td>${esc(r.phone)}</td><td>${r.ticket}</td><td>${r.opened}</td><td>${r.score}</td><td>${r.status}</td></tr>`)
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>5,000 contacts</title><script>
window.__longtasks = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: 'longtask', buffered: true });
</script></head><body><table id="t"><thead><tr><th>Name</th><th>Company</th><th>Email</th><th>Phone</th><th>Ticket</th><th>Opened</th><th>Score</th><th>Status</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`;
}

interface Mark {
  name: string;
  startTime: number;
  detail: { workMs: number; wallMs?: number; longestSliceMs: number; slices: number; numbers: number };
}

export async function chromiumBench(repoRoot: string): Promise<void> {
  console.log('\n== Chromium with the built extension: 5,000-row contact table ==');
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    console.log(`(skipped: no Chromium at ${executablePath}; apt-get install -y chromium, or set CHROMIUM_PATH)`);
    return;
  }
  const extensionDir = path.join(repoRoot, 'dist/extension');
  if (!existsSync(path.join(extensionDir, 'manifest.json'))) {
    console.log('(dist/extension missing: running npm run build)');
    execSync('npm run build', { cwd: repoRoot, stdio: 'inherit' });
  }
  const { chromium } = await import('playwright-core');
  const html = tablePage();
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/contacts`;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'c2c-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ['--headless=new', `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await context.newPage();
    await page.goto(url);
    // The content script marks the end of its first scan; marks made in its isolated world are on the page's timeline too.
    const first = await page
      .waitForFunction(() => performance.getEntriesByName('c2c:first-scan').map((e) => ({ name: e.name, startTime: e.startTime, detail: (e as PerformanceMark).detail })).at(0) ?? null, null, { timeout: 30_000 })
      .then((h) => h.jsonValue() as Promise<Mark>)
      .catch(() => null);
    if (!first) {
      console.log('(no c2c:first-scan mark within 30 s: is the content script in dist/extension up to date? run npm run build)');
      return;
    }
    const scanStart = first.startTime - (first.detail.wallMs ?? 0);
    const longtasks = (await page.evaluate(() => (window as unknown as { __longtasks: { start: number; duration: number }[] }).__longtasks)) as { start: number; duration: number }[];
    const during = longtasks.filter((t) => t.start + t.duration >= scanStart && t.start <= first.startTime);
    // One row changes: its phone number is replaced.
    await page.evaluate(() => {
      performance.clearMarks('c2c:update');
      const cell = document.querySelector('#t tbody tr:nth-child(2500) td:nth-child(4)')!;
      cell.textContent = '(646) 555-0149';
    });
    const update = (await page
      .waitForFunction(() => performance.getEntriesByName('c2c:update').map((e) => ({ name: e.name, startTime: e.startTime, detail: (e as PerformanceMark).detail })).at(-1) ?? null, null, { timeout: 10_000 })
      .then((h) => h.jsonValue())
      .catch(() => null)) as Mark | null;
    // An idle page: nothing may run after the scan.
    await page.evaluate(() => performance.clearMarks('c2c:update'));
    await page.waitForTimeout(1500);
    const idleUpdates = await page.evaluate(() => performance.getEntriesByName('c2c:update').length);
    console.table([
      { measure: 'rows', value: ROWS },
      { measure: 'numbers offered after first scan', value: first.detail.numbers },
      { measure: 'first full scan: main-thread work (ms)', value: first.detail.workMs.toFixed(1) },
      { measure: 'first full scan: wall time to done (ms)', value: (first.detail.wallMs ?? NaN).toFixed(1) },
      { measure: 'first full scan: longest slice of our work (ms)', value: first.detail.longestSliceMs.toFixed(1) },
      { measure: 'first full scan: idle slices', value: first.detail.slices },
      { measure: 'long tasks (>50 ms) during the scan, any source', value: during.length },
      { measure: 'longest such task (ms)', value: during.length ? Math.max(...during.map((t) => t.duration)).toFixed(1) : '-' },
      { measure: 'one row changed: work (ms)', value: update ? update.detail.workMs.toFixed(2) : 'no update mark' },
      { measure: 'idle page: work runs in 1.5 s after', value: idleUpdates },
    ]);
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
