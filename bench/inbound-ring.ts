// `npm run bench:inbound`: from the inbound Voice URL request (the simulator posting it, as Twilio would for a call to
// the organization's number) to the ring showing in the extension (the popup's incoming call), with the real built
// extension in simulated mode; beside a baseline measured in the same run, for the same calls: the request to the moment
// the simulator rings the agent's device (the backend's and simulator's share alone: TwiML, parsing, the ring event).
// Then Twilio mode: the real Voice SDK Device registered with the Twilio stand-in (test/support: the same stand-in as the
// browser tests), from the call reaching the stand-in (its Voice URL request follows at once) to the popup's incoming
// call, beside the stand-in sending the SDK its invite (backend, TwiML and the caller's WebRTC offer). Medians over
// BENCH_CALLS (20) calls.
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { SimDeviceEvent } from '../shared/api.js';
import { addEmbeddedAgent } from '../backend/auth/embedded-auth.js';
import { loadConfig } from '../backend/config.js';
import { silentLogger } from '../backend/logger.js';
import { startBackend } from '../backend/server.js';
import { openSse } from '../test/support/backend/sse-client.js';
import { createChromiumFarEnd } from '../test/support/twilio-cloud/chromium-far-end.js';
import { startTwilioWorld } from '../test/support/twilio-cloud/twilio-mode-backend.js';
import { writeBenchSummary, type BenchFigure } from './support/bench-summary.js';
import { pointExtensionAtBackend } from '../test/support/extension/point-at-backend.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CALLS = Number(process.env.BENCH_CALLS ?? 20);
const WARMUP = 2;
const PASSWORD = 'bench-inbound-ring-1';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The agents' softphones ring 20 s * 0.05 = 1 s before the caller goes to voicemail: each call ends by itself.
const TIME_SCALE = 0.05;
const LINE = '+14155550870';
const ARGS = ['--headless=new', '--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? NaN;

async function login(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function main() {
  const started = Date.now();
  console.log('(building the extension into dist/bench-extension)');
  const extensionDir = path.join(root, 'dist/bench-extension');
  execSync(`npx vite build --logLevel warn --outDir ${JSON.stringify(extensionDir)} --emptyOutDir`, { cwd: root, stdio: 'inherit' });

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'c2c-bench-inbound-'));
  const voiceUrlAt: number[] = [];
  const timedFetch: typeof fetch = (input, init) => {
    if (String(input).endsWith('/twilio/inbound')) voiceUrlAt.push(Date.now());
    return fetch(input, init);
  };
  const backend = await startBackend(loadConfig({ PORT: '0', DATA_DIR: dataDir, DEMO_PASSWORD: PASSWORD, LOG_LEVEL: 'silent' }), {
    logger: silentLogger,
    telephony: { timeScale: TIME_SCALE, fetch: timedFetch },
  });
  const sim = backend.telephony.simulator!;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'c2c-bench-inbound-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...ARGS, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`],
  });
  const results = { extension: [] as number[], baseline: [] as number[] };
  try {
    const org = (await backend.deps.store.findOrganization('Demo'))!;
    await backend.deps.store.addPhoneNumber({ organizationId: org.id, e164: LINE, label: 'Bench', isDefault: true, twilioSid: null });
    await addEmbeddedAgent(backend.db, backend.deps.store, { email: 'second@example.com', password: PASSWORD, displayName: 'Second Agent', organizationName: 'Demo' });
    // A second agent, rung with the first: it declines at once, so each call ends (voicemail) when the first's ring times out.
    const second = await login(backend.url, 'second@example.com', PASSWORD);
    const device = await openSse<SimDeviceEvent>(`${backend.url}/api/sim/events`, second);
    await fetch(`${backend.url}/api/softphone/registration`, { method: 'POST', headers: { authorization: `Bearer ${second}`, 'content-type': 'application/json' }, body: '{"registered":true}' });

    const popup = await signedInPopup(context, backend.url);

    // The baseline's mark: the simulator emitting the ring toward the demo agent's device, in the backend's process.
    const demoId = (await backend.db.query<{ id: string }>(`select id from voip_users where email = 'demo@example.com'`)).rows[0]!.id;
    let emittedAt: number | null = null;
    sim.subscribe(demoId, (e) => {
      if (e.type === 'incoming' && emittedAt === null) emittedAt = Date.now();
    });
    for (let i = 0; i < WARMUP + CALLS; i++) {
      emittedAt = null;
      await popup.evaluate(() => delete (window as unknown as { __ringAt?: number }).__ringAt);
      const seen = device.events.length;
      const before = voiceUrlAt.length;
      const { done } = sim.placeIncomingCall('+14155550199', LINE);
      const ring = await device.next((e) => e.type === 'incoming' && device.events.indexOf(e) >= seen, 10_000);
      void fetch(`${backend.url}/api/sim/calls/${ring.callSid}/decline`, { method: 'POST', headers: { authorization: `Bearer ${second}` } });
      const ringAt = await popup.waitForFunction(() => (window as unknown as { __ringAt?: number }).__ringAt, null, { timeout: 10_000, polling: 5 }).then((h) => h.jsonValue() as Promise<number>);
      await done;
      if (i >= WARMUP && voiceUrlAt.length > before) {
        results.extension.push(ringAt - voiceUrlAt[before]!);
        results.baseline.push((emittedAt ?? NaN) - voiceUrlAt[before]!);
      }
    }
    device.close();
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    await backend.close();
    await rm(dataDir, { recursive: true, force: true });
  }

  const twilioResults = await measureTwilioMode(extensionDir);
  const ext = Math.round(median(results.extension));
  const base = Math.round(median(results.baseline));
  const twilioExt = Math.round(median(twilioResults.extension));
  const twilioBase = Math.round(median(twilioResults.baseline));
  console.log(`\ninbound Voice URL request → ring shown, median over ${results.extension.length} calls (ms; ${WARMUP} warm-up calls not counted)`);
  console.log(`extension, simulated (popup shows the incoming call)   ${String(ext).padStart(6)}`);
  console.log(`baseline: the simulator rings the device (backend side)  ${String(base).padStart(6)}`);
  console.log(`\ncall reaches the Twilio stand-in → ring shown, median over ${twilioResults.extension.length} calls (ms)`);
  console.log(`extension, Twilio mode (real Voice SDK; popup shows it)  ${String(twilioExt).padStart(6)}`);
  console.log(`baseline: the stand-in sends the Device its invite       ${String(twilioBase).padStart(6)}`);
  const figures: BenchFigure[] = [
    { label: 'Voice URL → ring in the extension, simulated (median)', value: ext, unit: 'ms', baseline: base, target: '<= 500', pass: ext <= 500 },
    { label: 'call at the Twilio stand-in → ring in the extension, Twilio mode (median)', value: twilioExt, unit: 'ms', baseline: twilioBase },
  ];
  const file = await writeBenchSummary({
    name: 'inbound-ring',
    ok: figures.every((f) => f.pass !== false),
    startedAt: new Date(started).toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
    figures,
    notes: [
      'Baseline: the same calls, from the Voice URL request to the simulator emitting the ring toward the device (no extension, no event stream).',
      "Twilio mode baseline: the same calls, to the stand-in sending the invite (the backend's TwiML and the caller's WebRTC offer included).",
    ],
  });
  console.log(`(figures in ${path.relative(root, file)})`);
}

/** The popup, signed in as the demo agent against `backendUrl`, marking (window.__ringAt) when an incoming call shows. */
async function signedInPopup(context: BrowserContext, backendUrl: string): Promise<Page> {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  await pointExtensionAtBackend(worker, backendUrl);
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/extension/popup/index.html`);
  const form = popup.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Email').fill('demo@example.com');
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await popup.getByText('Ready to call').waitFor({ timeout: 30_000 });
  await popup.evaluate(() => {
    const w = window as unknown as { __ringAt?: number };
    new MutationObserver(() => {
      if (w.__ringAt === undefined && document.querySelector('[aria-label="Incoming call"]')) w.__ringAt = Date.now();
    }).observe(document.body, { subtree: true, childList: true });
  });
  return popup;
}

/** Twilio mode: one agent's real Voice SDK Device, rung by the stand-in; each call declined from the popup (voicemail). */
async function measureTwilioMode(extensionDir: string): Promise<{ extension: number[]; baseline: number[] }> {
  let farEndBrowser: ReturnType<typeof chromium.launch> | undefined;
  const far = createChromiumFarEnd(
    () => (farEndBrowser ??= chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...ARGS, '--autoplay-policy=no-user-gesture-required'] })),
    () => `${world.cloud.origin}/far-end`,
  );
  // The ring lasts 20 s * 0.25 = 5 s here: the caller's WebRTC offer (getUserMedia, ICE gathering) must come within it.
  const world = await startTwilioWorld({ env: { DEMO_PASSWORD: PASSWORD }, cloud: { timeScale: 0.25, farEnd: far.farEnd } });
  const profile = mkdtempSync(path.join(os.tmpdir(), 'c2c-bench-inbound-twilio-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...ARGS, `--host-resolver-rules=${world.cloud.hostResolverRule}`, '--ignore-certificate-errors', `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`],
  });
  const results = { extension: [] as number[], baseline: [] as number[] };
  try {
    const org = (await world.backend.deps.store.findOrganization('Demo'))!;
    await world.backend.deps.store.addPhoneNumber({ organizationId: org.id, e164: LINE, label: 'Bench', isDefault: true, twilioSid: null });
    const popup = await signedInPopup(context, world.backend.url);
    // Ringable once the Device's registration reached the backend.
    for (let i = 0; i < 100; i++) {
      const { rows } = await world.backend.db.query<{ ok: boolean }>(`select softphone_registered_until > now() as ok from voip_users where email = 'demo@example.com'`);
      if (rows[0]?.ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    for (let i = 0; i < WARMUP + CALLS; i++) {
      await popup.evaluate(() => delete (window as unknown as { __ringAt?: number }).__ringAt);
      const placedAt = Date.now();
      const incoming = world.cloud.placeIncomingCall('+14155550199', LINE);
      const ringAt = await popup.waitForFunction(() => (window as unknown as { __ringAt?: number }).__ringAt, null, { timeout: 15_000, polling: 5 }).then((h) => h.jsonValue() as Promise<number>);
      const invite = world.cloud.messages.find((m) => m.direction === 'out' && m.type === 'invite' && m.payload.callsid === incoming.legs[0]?.sid);
      await popup.getByRole('alertdialog', { name: 'Incoming call' }).getByRole('button', { name: 'Decline' }).click();
      await incoming.done;
      if (i >= WARMUP) {
        results.extension.push(ringAt - placedAt);
        results.baseline.push((invite?.at ?? NaN) - placedAt);
      }
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    await world.close();
    await (await farEndBrowser)?.close();
  }
  return results;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
