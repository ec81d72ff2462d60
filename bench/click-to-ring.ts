// `npm run bench:click-to-ring`: from the trusted click on a page's Call chip to (a) Twilio receiving the invite, (b) the
// backend's TwiML answer to the Voice URL, (c) the popup showing "Ringing…" — with the real built extension, warm device, in
// Twilio mode (the real Voice SDK against the local Twilio stand-in) and simulated mode, beside a same-run baseline: the bare
// SDK in a plain page, clicked the same way. Medians over BENCH_CALLS calls (default 20) each.
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../backend/config.js';
import { silentLogger } from '../backend/logger.js';
import { startBackend } from '../backend/server.js';
import { startTwilioWorld } from '../test/support/twilio-cloud/twilio-mode-backend.js';
import { writeBenchSummary, type BenchFigure } from './support/bench-summary.js';
import { pointExtensionAtBackend } from '../test/support/extension/point-at-backend.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CALLS = Number(process.env.BENCH_CALLS ?? 20);
const WARMUP = 2;
const PASSWORD = 'bench-click-to-ring-1';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const NUMBER_TEXT = '(415) 555-0142';
/** The simulator's busy number: its call ends by itself after ringing. */
const SIM_NUMBER_TEXT = '(212) 555-0000';
// Twilio's pace scaled down: ringing 5 ms after the TwiML, then busy 12 ms later — each call ends by itself.
const TIME_SCALE = 0.01;
const ARGS = ['--headless=new', '--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const PAGE = `<!doctype html><meta charset="utf-8"><title>Leads</title><body style="font:16px system-ui;margin:24px">
<table><tr><td>Maria Lopez</td><td>${NUMBER_TEXT}</td></tr><tr><td>Sam Carter</td><td>${SIM_NUMBER_TEXT}</td></tr></table>
<button id="bare" style="margin-top:40px">Call (bare SDK)</button>
<script>addEventListener('pointerdown', () => { window.__clickAt = Date.now(); }, true);</script>`;

interface Sample {
  invite: number;
  twiml: number;
  ringing: number;
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? NaN;

function serve(routes: Record<string, { type: string; body: string | Buffer }>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const found = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (!found) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': found.type, 'cache-control': 'no-store' });
    res.end(found.body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

async function login(backendUrl: string): Promise<string> {
  const res = await fetch(`${backendUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'demo@example.com', password: PASSWORD }) });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** The extension in its own profile, pointed at a backend and signed in through the popup. */
async function extensionBrowser(extensionDir: string, backendUrl: string, extraArgs: string[]) {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'c2c-bench-ring-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...ARGS, ...extraArgs, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  await pointExtensionAtBackend(worker, backendUrl);
  return {
    context,
    extensionId,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Where the chip's Call button is: it lives in a closed shadow root, so it is found in the accessibility tree (as test/e2e/harness.ts does). */
async function chipAt(page: Page, text: string): Promise<{ x: number; y: number } | null> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root: doc } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodes } = await cdp.send('Accessibility.queryAXTree', { backendNodeId: doc.backendNodeId, accessibleName: `Call ${text}`, role: 'button' });
    for (const node of nodes) {
      if (node.ignored || node.backendDOMNodeId === undefined) continue;
      const box = await cdp.send('DOM.getBoxModel', { backendNodeId: node.backendDOMNodeId }).catch(() => null);
      const q = box?.model.border;
      if (q && box.model.width > 0) return { x: (q[0]! + q[4]!) / 2, y: (q[1]! + q[5]!) / 2 };
    }
    return null;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Hovers the number until its chip shows, then clicks it with the real mouse; returns the time of its pointerdown in the page. */
async function clickChip(page: Page, text = NUMBER_TEXT): Promise<number> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    await page.mouse.move(1, 1);
    await page.waitForTimeout(150);
    const box = await page.evaluate((text) => {
      const cell = [...document.querySelectorAll('td')].find((td) => td.textContent === text)!;
      const r = document.createRange();
      r.selectNodeContents(cell);
      const b = r.getBoundingClientRect();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    }, text);
    await page.mouse.move(box.x, box.y, { steps: 3 });
    for (let i = 0; i < 15; i++) {
      const at = await chipAt(page, text);
      if (at) {
        await page.evaluate(() => delete (window as unknown as { __clickAt?: number }).__clickAt);
        // A person looks before clicking: the chip takes a click only once seen for 500 ms (click-guard.ts), as in e2e.
        await page.waitForTimeout(650);
        await page.mouse.move(at.x, at.y, { steps: 2 });
        await page.mouse.down();
        await page.mouse.up();
        return page.waitForFunction(() => (window as unknown as { __clickAt?: number }).__clickAt).then((h) => h.jsonValue() as Promise<number>);
      }
      await page.waitForTimeout(50);
    }
    if (Date.now() > deadline) throw new Error('The Call chip never showed.');
  }
}

/** The popup, recording when its call status first reads "Ringing…" and when the call has ended. */
async function watchedPopup(context: BrowserContext, extensionId: string, page: Page): Promise<Page> {
  const popup = await context.newPage();
  const base = `chrome-extension://${extensionId}/extension/popup/index.html`;
  await popup.goto(base);
  const tabId = await popup.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id ?? null, page.url());
  await popup.goto(`${base}?tabId=${tabId}`);
  return popup;
}

async function signInAndWait(popup: Page) {
  const form = popup.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Email').fill('demo@example.com');
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await popup.getByText('Ready to call').waitFor({ timeout: 30_000 });
  await popup.evaluate(() => {
    const w = window as unknown as { __ringingAt?: number; __endedAt?: number };
    new MutationObserver(() => {
      const text = document.querySelector('[aria-label="Call status"]')?.textContent ?? '';
      if (text === 'Ringing…' && w.__ringingAt === undefined) w.__ringingAt = Date.now();
      if (text.startsWith('Call ended') && w.__endedAt === undefined) w.__endedAt = Date.now();
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

const popupTimes = (popup: Page) =>
  popup
    .waitForFunction(() => {
      const w = window as unknown as { __ringingAt?: number; __endedAt?: number };
      return w.__ringingAt !== undefined && w.__endedAt !== undefined && { ringing: w.__ringingAt, ended: w.__endedAt };
    }, null, { timeout: 15_000, polling: 20 })
    .then((h) => h.jsonValue() as Promise<{ ringing: number; ended: number }>)
    .catch(async (error: Error) => {
      throw new Error(`${error.message}; the page showed: ${await popup.locator('body').textContent()}`);
    });

const resetPopup = (popup: Page) =>
  popup.evaluate(() => {
    const w = window as unknown as { __ringingAt?: number; __endedAt?: number };
    delete w.__ringingAt;
    delete w.__endedAt;
  });

async function main() {
  const started = Date.now();
  console.log('(building the extension into dist/bench-extension)');
  const extensionDir = path.join(root, 'dist/bench-extension');
  execSync(`npx vite build --logLevel warn --outDir ${JSON.stringify(extensionDir)} --emptyOutDir`, { cwd: root, stdio: 'inherit' });
  const sdk = readFileSync(path.join(root, 'node_modules/@twilio/voice-sdk/dist/twilio.min.js'));
  const pages = await serve({ '/leads.html': { type: 'text/html; charset=utf-8', body: PAGE }, '/twilio.min.js': { type: 'text/javascript', body: sdk } });
  const results: Record<string, Sample[]> = { twilio: [], bare: [], simulated: [] };
  // Outcome "busy" for every call: ringing, then over by itself, so no hang-up is timed with the next click.
  const world = await startTwilioWorld({
    env: { DEMO_PASSWORD: PASSWORD, RATE_LIMIT_CALLS: '1000' },
    cloud: { timeScale: TIME_SCALE, knobs: { outcome: () => ({ kind: 'busy' }) } },
  });
  const cloudArgs = [`--host-resolver-rules=${world.cloud.hostResolverRule}`, '--ignore-certificate-errors'];
  const cleanups: Array<() => Promise<void>> = [() => world.close()];
  try {
    // Twilio mode: the extension, warm.
    const ext = await extensionBrowser(extensionDir, world.backend.url, cloudArgs);
    cleanups.unshift(ext.close);
    const page = await ext.context.newPage();
    await page.goto(`${pages.url}/leads.html`);
    const popup = await watchedPopup(ext.context, ext.extensionId, page);
    await signInAndWait(popup);
    for (let i = 0; i < WARMUP + CALLS; i++) {
      await resetPopup(popup);
      await page.bringToFront();
      const next = world.cloud.nextCall();
      const clickAt = await clickChip(page);
      const call = await next;
      const times = await popupTimes(popup);
      await call.done;
      if (i >= WARMUP) results.twilio!.push({ invite: call.invitedAt - clickAt, twiml: (call.twimlAt ?? NaN) - clickAt, ringing: times.ringing - clickAt });
      await page.waitForTimeout(100);
    }

    // Baseline: the bare SDK in a plain page, a registered Device, connect() on the click.
    const plain = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...ARGS, ...cloudArgs] });
    cleanups.unshift(() => plain.close());
    const bare = await plain.newPage();
    await bare.goto(`${pages.url}/leads.html`);
    await bare.addScriptTag({ url: `${pages.url}/twilio.min.js` });
    const agentToken = await login(world.backend.url);
    const voice = await fetch(`${world.backend.url}/api/twilio/token`, { method: 'POST', headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' }, body: '{}' });
    const { token } = (await voice.json()) as { token: string };
    await bare.evaluate(
      async ({ token }) => {
        const Twilio = (window as unknown as { Twilio: { Device: new (t: string, o: object) => { register(): Promise<void>; connect(o: object): Promise<{ on(e: string, f: () => void): void }> } } }).Twilio;
        const device = new Twilio.Device(token, { closeProtection: false, enableImprovedSignalingErrorPrecision: true });
        await device.register();
        const w = window as unknown as { __ringingAt?: number; __endedAt?: number };
        document.getElementById('bare')!.addEventListener('click', () => {
          void device.connect({ params: { To: '+14155550142' } }).then((call) => {
            call.on('ringing', () => (w.__ringingAt = Date.now()));
            call.on('disconnect', () => (w.__endedAt = Date.now()));
          });
        });
      },
      { token },
    );
    const button = await bare.locator('#bare').boundingBox();
    for (let i = 0; i < WARMUP + CALLS; i++) {
      await resetPopup(bare);
      const next = world.cloud.nextCall();
      await bare.mouse.move(button!.x + 10, button!.y + 5);
      await bare.mouse.down();
      await bare.mouse.up();
      const clickAt = await bare.waitForFunction(() => (window as unknown as { __clickAt?: number }).__clickAt).then((h) => h.jsonValue() as Promise<number>);
      const call = await next;
      const times = await popupTimes(bare);
      await call.done;
      if (i >= WARMUP) results.bare!.push({ invite: call.invitedAt - clickAt, twiml: (call.twimlAt ?? NaN) - clickAt, ringing: times.ringing - clickAt });
      await bare.evaluate(() => delete (window as unknown as { __clickAt?: number }).__clickAt);
      await bare.waitForTimeout(100);
    }

    // Simulated mode: the simulator places the call ((a) is POST /api/sim/calls arriving, (b) the Voice URL's TwiML back).
    const simData = await mkdtemp(path.join(os.tmpdir(), 'c2c-bench-sim-'));
    const marks: { request: number[]; twiml: number[] } = { request: [], twiml: [] };
    const timedFetch: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (String(input).endsWith('/twilio/outbound')) marks.twiml.push(Date.now());
      return res;
    };
    const sim = await startBackend(loadConfig({ PORT: '0', DATA_DIR: simData, DEMO_PASSWORD: PASSWORD, LOG_LEVEL: 'silent', RATE_LIMIT_CALLS: '1000' }), {
      logger: silentLogger,
      telephony: { timeScale: TIME_SCALE, fetch: timedFetch },
      extend: (_deps, app: Hono) => {
        app.use('/api/sim/calls', async (c, next) => {
          if (c.req.method === 'POST') marks.request.push(Date.now());
          await next();
        });
      },
    });
    cleanups.push(async () => {
      await sim.close();
      await rm(simData, { recursive: true, force: true });
    });
    const simExt = await extensionBrowser(extensionDir, sim.url, []);
    cleanups.unshift(simExt.close);
    const simPage = await simExt.context.newPage();
    await simPage.goto(`${pages.url}/leads.html`);
    const simPopup = await watchedPopup(simExt.context, simExt.extensionId, simPage);
    await signInAndWait(simPopup);
    for (let i = 0; i < WARMUP + CALLS; i++) {
      await resetPopup(simPopup);
      await simPage.bringToFront();
      const before = marks.twiml.length;
      const clickAt = await clickChip(simPage, SIM_NUMBER_TEXT);
      const times = await popupTimes(simPopup);
      if (i >= WARMUP && marks.twiml.length > before) results.simulated!.push({ invite: marks.request.at(-1)! - clickAt, twiml: marks.twiml[before]! - clickAt, ringing: times.ringing - clickAt });
      await simPage.waitForTimeout(100);
    }
  } finally {
    for (const c of cleanups) await c().catch(() => undefined);
    await new Promise<void>((r) => pages.server.close(() => r()));
  }

  const m = (mode: string, key: keyof Sample) => Math.round(median(results[mode]!.map((s) => s[key])));
  console.log(`\nclick → …, median over ${CALLS} calls each (ms; warm device; ${WARMUP} warm-up calls not counted)`);
  console.log(`${''.padEnd(24)}  invite   TwiML  "Ringing…"`);
  for (const [mode, label] of [
    ['twilio', 'extension, Twilio mode'],
    ['bare', 'bare SDK (baseline)'],
    ['simulated', 'extension, simulated'],
  ] as const) {
    console.log(`${label.padEnd(24)}  ${String(m(mode, 'invite')).padStart(6)}  ${String(m(mode, 'twiml')).padStart(6)}  ${String(m(mode, 'ringing')).padStart(10)}`);
  }
  console.log('(simulated mode has no invite: its column is the POST /api/sim/calls arriving at the backend.)');
  const figures: BenchFigure[] = [
    { label: 'click → invite, Twilio mode (median)', value: m('twilio', 'invite'), unit: 'ms', baseline: m('bare', 'invite'), target: '<= 150', pass: m('twilio', 'invite') <= 150 },
    { label: 'click → TwiML, Twilio mode (median)', value: m('twilio', 'twiml'), unit: 'ms', baseline: m('bare', 'twiml'), target: '<= 300', pass: m('twilio', 'twiml') <= 300 },
    { label: 'click → "Ringing…", Twilio mode (median)', value: m('twilio', 'ringing'), unit: 'ms', baseline: m('bare', 'ringing') },
    { label: 'click → POST /api/sim/calls, simulated (median)', value: m('simulated', 'invite'), unit: 'ms' },
    { label: 'click → TwiML, simulated (median)', value: m('simulated', 'twiml'), unit: 'ms', target: '<= 300', pass: m('simulated', 'twiml') <= 300 },
    { label: 'click → "Ringing…", simulated (median)', value: m('simulated', 'ringing'), unit: 'ms' },
  ];
  const file = await writeBenchSummary({
    name: 'click-to-ring',
    ok: figures.every((f) => f.pass !== false),
    startedAt: new Date(started).toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
    figures,
    notes: [`Baseline: the bare Voice SDK in a plain page, registered, connect() on a button's click, same stand-in and backend.`, `Stand-in time scale ${TIME_SCALE}: ringing ${500 * TIME_SCALE} ms after the TwiML.`],
  });
  console.log(`(figures in ${path.relative(root, file)})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
