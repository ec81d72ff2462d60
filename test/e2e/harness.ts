// The browser-test harness: the backend in simulated mode on a free port, fixture pages on 127.0.0.1, and Chromium with the built extension.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Locator, type Page, type Worker } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { addEmbeddedAgent } from '../../backend/auth/embedded-auth.js';
import { loadConfig } from '../../backend/config.js';
import { mountDemoPage } from '../../backend/demo/demo-routes.js';
import { startBackend, type RunningBackend } from '../../backend/server.js';
import type { TwilioSimulator } from '../../backend/sim/twilio-simulator.js';
import { createChromiumFarEnd } from '../support/twilio-cloud/chromium-far-end.js';
import type { TwilioCloud, TwilioCloudOptions } from '../support/twilio-cloud/twilio-cloud.js';
import { startTwilioWorld, type TwilioWorld } from '../support/twilio-cloud/twilio-mode-backend.js';
import { pointExtensionAtBackend } from '../support/extension/point-at-backend.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const SCREENSHOTS = path.join(ROOT, 'test-results/e2e');

export const DEMO = { email: 'demo@example.com', password: 'demo-password-e2e', name: 'Demo Agent' };
export const TEAMMATE = { email: 'teammate@example.com', password: 'teammate-password-e2e', name: 'Tess Mate' };
/** Simulated Twilio at a quarter of real time: ringing after ~125 ms, answered after ~500 ms. */
const SIM_TIME_SCALE = 0.25;
/** Waits in the browser are for things that happen within a second or two; this is the ceiling. */
export const WAIT_MS = 10_000;

const setup = inject('e2e');
/** Whether Chromium was found; when not, each e2e file skips (global-setup printed why, or failed the run under REQUIRE_E2E). */
export const browserAvailable = setup.chromiumPath !== null && setup.extensionDir !== null;

/** Chromium without the extension: what a page does on its own. */
export function launchPlainChromium(extraArgs: string[] = []) {
  return chromium.launch({ executablePath: setup.chromiumPath!, headless: true, args: [...BROWSER_ARGS, ...extraArgs] });
}

/** The backend with the simulator and the demo page, a demo agent and a teammate in the same organization. */
export async function startTestBackend(again?: { dataDir: string; port: number }): Promise<RunningBackend & { dataDir: string; sim(): TwilioSimulator; cleanup(): Promise<void> }> {
  const dataDir = again?.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'c2c-e2e-data-')));
  const config = loadConfig({ PORT: String(again?.port ?? 0), DATA_DIR: dataDir, DEMO_PASSWORD: DEMO.password, LOG_LEVEL: 'silent', SIM_TIME_SCALE: String(SIM_TIME_SCALE) });
  const backend = await startBackend(config, { extend: (_deps, app) => mountDemoPage(app) });
  const simulator = backend.telephony.simulator;
  if (!again) await addEmbeddedAgent(backend.db, backend.deps.store, { email: TEAMMATE.email, password: TEAMMATE.password, displayName: TEAMMATE.name, organizationName: 'Demo' });
  return Object.assign(backend, {
    dataDir,
    /** The simulated Twilio, to see what the far end heard (digits) or make it act. */
    sim: () => simulator!,
    async cleanup() {
      await backend.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  });
}

/** Serves test/e2e/fixtures on 127.0.0.1 at a free port. */
export async function startFixtureServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const name = path.basename(new URL(req.url ?? '/', 'http://x').pathname);
    readFile(path.join(FIXTURES, name)).then(
      (body) => {
        res.writeHead(200, { 'content-type': name.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(body);
      },
      () => {
        res.writeHead(404).end('not found');
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export const BROWSER_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  serviceWorker(): Promise<Worker>;
  /** The popup as a tab, reading "On this page" from the given page's tab. */
  openPopup(forPage?: Page): Promise<Page>;
  tabIdOf(page: Page): Promise<number>;
  close(): Promise<void>;
}

/** Chromium with the freshly built extension in a throwaway profile, pointed at the backend. */
export interface LaunchOptions {
  /** Chromium flags of BROWSER_ARGS to leave out (e.g. the fake microphone, for a machine with none). */
  withoutArgs?: string[];
}

async function launchWithExtension(backendUrl: string, extraArgs: string[] = [], omitArgs: string[] = []): Promise<ExtensionBrowser> {
  const extensionDir = setup.extensionDir!;
  const profile = await mkdtemp(path.join(tmpdir(), 'c2c-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: setup.chromiumPath!,
    headless: true,
    viewport: { width: 1000, height: 700 },
    args: [...BROWSER_ARGS.filter((a) => !omitArgs.includes(a)), ...extraArgs, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`],
  });
  const serviceWorker = async (): Promise<Worker> => {
    const live = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
    return live ?? context.waitForEvent('serviceworker', { timeout: WAIT_MS });
  };
  const first = await serviceWorker();
  const extensionId = new URL(first.url()).host;
  await pointExtensionAtBackend(first, backendUrl);

  const tabIdOf = async (page: Page): Promise<number> => {
    const url = page.url();
    const id = await (await serviceWorker()).evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id ?? null, url);
    if (id === null) throw new Error(`No tab has ${url}`);
    return id;
  };

  return {
    context,
    extensionId,
    serviceWorker,
    tabIdOf,
    async openPopup(forPage) {
      const popup = await context.newPage();
      await popup.setViewportSize({ width: 360, height: 640 });
      const base = `chrome-extension://${extensionId}/extension/popup/index.html`;
      await popup.goto(base);
      if (!forPage) return popup;
      // The page's tab id, asked from the popup itself: the service worker may be stopped, and evaluating in a stopped
      // worker waits for whatever wakes it next.
      const url = forPage.url();
      const tabId = await popup.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id ?? null, url);
      if (tabId === null) throw new Error(`No tab has ${url}`);
      await popup.goto(`${base}?tabId=${tabId}`);
      return popup;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * One test file's world, started before its tests and stopped after them: the backend, the fixture pages, and every
 * browser launched through `launch()` (closed first). Call it inside the file's describe.
 */
export function useE2eWorld() {
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
  let pages: Awaited<ReturnType<typeof startFixtureServer>> | undefined;
  const browsers: ExtensionBrowser[] = [];
  beforeAll(async () => {
    [backend, pages] = await Promise.all([startTestBackend(), startFixtureServer()]);
  });
  afterAll(async () => {
    await Promise.all(browsers.map((b) => b.close()));
    await pages?.close();
    await backend?.cleanup();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('The e2e world is not started yet: use it inside a test or a beforeAll.');
    return value;
  };
  return {
    get backend() {
      return started(backend);
    },
    get pages() {
      return started(pages);
    },
    /** Stops the backend (as an admin's restart does: it closes open calls) and starts it again on the same port and data. */
    async restartBackend(downMs = 0): Promise<void> {
      const running = started(backend);
      const port = Number(new URL(running.url).port);
      await running.close();
      await new Promise((r) => setTimeout(r, downMs));
      backend = await startTestBackend({ dataDir: running.dataDir, port });
    },
    async launch(options?: LaunchOptions): Promise<ExtensionBrowser> {
      const browser = await launchWithExtension(started(backend).url, [], options?.withoutArgs ?? []);
      browsers.push(browser);
      return browser;
    },
    /** A browser with the demo agent signed in and the softphone ready (the popup closed again). */
    async launchSignedIn(options?: LaunchOptions): Promise<ExtensionBrowser> {
      const browser = await this.launch(options);
      const popup = await browser.openPopup();
      await signIn(popup, DEMO);
      await popup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
      await popup.close();
      return browser;
    },
  };
}

/**
 * The Twilio-mode world of one test file: the backend with fake Twilio credentials, the Twilio stand-in (its far end a
 * plain Chromium page), the fixture pages, and browsers whose *.twilio.com is the stand-in.
 */
export function useTwilioE2eWorld(cloud: Omit<Partial<TwilioCloudOptions>, 'creds' | 'voiceUrl' | 'farEnd'> = {}, env: Record<string, string> = {}) {
  let twilio: TwilioWorld | undefined;
  let pages: Awaited<ReturnType<typeof startFixtureServer>> | undefined;
  let farEndBrowser: Promise<Browser> | undefined;
  const browsers: ExtensionBrowser[] = [];
  const far = createChromiumFarEnd(
    () => (farEndBrowser ??= launchPlainChromium(['--autoplay-policy=no-user-gesture-required'])),
    () => `${started(twilio).cloud.origin}/far-end`,
  );
  beforeAll(async () => {
    [twilio, pages] = await Promise.all([
      startTwilioWorld({ env: { DEMO_PASSWORD: DEMO.password, ...env }, cloud: { timeScale: SIM_TIME_SCALE, ...cloud, farEnd: far.farEnd } }),
      startFixtureServer(),
    ]);
  });
  afterAll(async () => {
    await Promise.all(browsers.map((b) => b.close()));
    await twilio?.close();
    await (await farEndBrowser)?.close();
    await pages?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('The Twilio e2e world is not started yet: use it inside a test or a beforeAll.');
    return value;
  };
  return {
    get backend() {
      return started(twilio).backend;
    },
    get cloud() {
      return started(twilio).cloud;
    },
    get pages() {
      return started(pages);
    },
    farEnd: far,
    restartBackend: (downMs?: number) => started(twilio).restartBackend(downMs),
    /** `microphone: 'denied'` launches without the fake permission prompt, and with prompts denied. */
    async launch(options: { microphone?: 'denied' } = {}): Promise<ExtensionBrowser> {
      const denied = options.microphone === 'denied';
      const browser = await launchWithExtension(
        started(twilio).backend.url,
        [...twilioBrowserArgs(started(twilio).cloud), ...(denied ? ['--deny-permission-prompts'] : [])],
        denied ? ['--use-fake-ui-for-media-stream'] : [],
      );
      browsers.push(browser);
      return browser;
    },
  };
}

/** Chromium's way to Twilio: every *.twilio.com is the stand-in, whose certificate was made a moment ago. */
export function twilioBrowserArgs(cloud: TwilioCloud): string[] {
  return [`--host-resolver-rules=${cloud.hostResolverRule}`, '--ignore-certificate-errors'];
}

/** Signs in through the popup's form, as a person would. */
export async function signIn(popup: Page, who: { email: string; password: string }): Promise<void> {
  const form = popup.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Email').fill(who.email);
  await form.getByLabel('Password').fill(who.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
}

/** Moves the real mouse over the first occurrence of a text (its glyphs, not its element's box); nudge moves it a few pixels along. */
export async function hoverText(page: Page, text: string, within = 'body', nudge = 0): Promise<void> {
  const box = await page.locator(within).first().evaluate((root, wanted) => {
    const walk = (node: Node): DOMRect | null => {
      if (node.nodeType === Node.TEXT_NODE) {
        const at = node.textContent?.indexOf(wanted) ?? -1;
        if (at < 0) return null;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + wanted.length);
        return range.getBoundingClientRect();
      }
      const kids = [...((node as Element).shadowRoot?.childNodes ?? []), ...node.childNodes];
      for (const kid of kids) {
        const found = walk(kid);
        if (found) return found;
      }
      return null;
    };
    const rect = walk(root);
    return rect && { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
  }, text);
  if (!box) throw new Error(`"${text}" is not on ${page.url()}`);
  const x = box.x + Math.min(box.width - 2, box.width / 2 + nudge);
  await page.mouse.move(x, box.y + box.height / 2, { steps: 3 });
}

/**
 * Where the Call button for a number is on screen, if it shows. The chip lives in a closed shadow root, which no selector
 * reaches; Chromium's accessibility tree does, as it does for a screen reader: found by role and name, then located.
 */
export async function findCallButton(page: Page, text: string): Promise<{ x: number; y: number } | null> {
  // The chip names the number it dials, formatted for people ("Call (212) 555-0183 ext. 204"): matched by its digits.
  const digits = text.replace(/\D/g, '');
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    for (const node of nodes) {
      const name = node.name?.value;
      if (node.ignored || node.role?.value !== 'button' || typeof name !== 'string' || !name.startsWith('Call ') || node.backendDOMNodeId === undefined) continue;
      const named = name.replace(/\D/g, '');
      if (named !== digits && !(digits.startsWith('1') && named === digits.slice(1))) continue;
      const box = await cdp.send('DOM.getBoxModel', { backendNodeId: node.backendDOMNodeId }).catch(() => null);
      const q = box?.model.border;
      if (!box || !q || box.model.width === 0 || box.model.height === 0) continue;
      return { x: (q[0]! + q[4]!) / 2, y: (q[1]! + q[5]!) / 2 };
    }
    return null;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** The centre of the page's button with exactly this accessible name, if it shows (a closed root too, as a screen reader finds it). */
export async function findButtonNamed(page: Page, name: string): Promise<{ x: number; y: number } | null> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    for (const node of nodes) {
      if (node.ignored || node.role?.value !== 'button' || node.name?.value !== name || node.backendDOMNodeId === undefined) continue;
      const box = await cdp.send('DOM.getBoxModel', { backendNodeId: node.backendDOMNodeId }).catch(() => null);
      const q = box?.model.border;
      if (!box || !q || box.model.width === 0) continue;
      return { x: (q[0]! + q[4]!) / 2, y: (q[1]! + q[5]!) / 2 };
    }
    return null;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Hovers a text until the chip with that accessible name shows (a refused destination's chip says why, by name). */
export async function hoverUntilButtonNamed(page: Page, text: string, name: string): Promise<{ x: number; y: number }> {
  const at = await poll(async () => {
    await page.mouse.move(1, 1);
    await hoverText(page, text);
    return poll(() => findButtonNamed(page, name), 750);
  });
  if (!at) throw new Error(`No chip "${name}" appeared over ${text} on ${page.url()}`);
  return at;
}

/** Evaluates an expression in the extension's offscreen document (not a tab: reached through its DevTools target). */
export async function evaluateInOffscreen(context: BrowserContext, expression: string): Promise<unknown> {
  const page = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(page);
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const target = targetInfos.find((t) => t.url.includes('/extension/offscreen/'));
    if (!target) return null;
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
    const answer = new Promise<string>((resolve) => {
      cdp.on('Target.receivedMessageFromTarget', (e) => {
        if (e.sessionId === sessionId) resolve(e.message);
      });
    });
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression, returnByValue: true } }) });
    const parsed = JSON.parse(await answer) as { result?: { result?: { value?: unknown } } };
    await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
    return parsed.result?.result?.value ?? null;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Whether any Call button shows on the page. */
async function anyCallButtonShows(page: Page): Promise<boolean> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    return nodes.some((n) => !n.ignored && n.role?.value === 'button' && typeof n.name?.value === 'string' && n.name.value.startsWith('Call '));
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Asks until the answer is truthy or the time is up (then null). */
export async function poll<T>(what: () => Promise<T | null | false>, timeout: number = WAIT_MS): Promise<T | null> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await what();
    if (value) return value;
    if (Date.now() > deadline) return null;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Hovers a number until its Call button shows and returns where it is, as a person whose pointer rests on a number the
 * page has only just rendered moves it a little: the content script scans new nodes in idle time.
 */
export async function hoverUntilCallButton(page: Page, text: string, within?: string): Promise<{ x: number; y: number }> {
  const deadline = Date.now() + WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    // From a blank corner, once any open chip has gone: a chip stays while the pointer is on it, and sits over the row above.
    await page.mouse.move(1, 1);
    await poll(async () => !(await anyCallButtonShows(page)), WAIT_MS);
    await hoverText(page, text, within, (attempt % 3) * 4);
    const at = await poll(() => findCallButton(page, text), 750);
    if (at) return at;
    if (Date.now() > deadline) throw new Error(`No "Call ${text}" button appeared on ${page.url()} after hovering for ${WAIT_MS} ms`);
  }
}

/**
 * How long a person looks at the Call chip before clicking it: longer than the chip's input protection (500 ms,
 * click-guard.ts), as reading "Call (415) 555-0142" and aiming at it takes a person.
 */
export const PERSON_PAUSE_MS = 650;

/** Hovers a number and clicks the Call button that appears: the path a person takes, pause included. */
export async function clickToCall(page: Page, text: string, within?: string): Promise<void> {
  const at = await hoverUntilCallButton(page, text, within);
  await page.mouse.move(at.x, at.y, { steps: 2 });
  await new Promise((r) => setTimeout(r, PERSON_PAUSE_MS));
  await page.mouse.down();
  await page.mouse.up();
}

/** The popup's live-call region and its status line. */
export function currentCall(popup: Page) {
  const region = popup.getByRole('region', { name: 'Current call' });
  return { region, status: region.getByRole('status', { name: 'Call status' }) };
}

/** Waits until a locator's text matches. */
export async function waitForText(locator: Locator, wanted: RegExp, timeout = WAIT_MS): Promise<string> {
  const deadline = Date.now() + timeout;
  let last: string;
  for (;;) {
    last = (await locator.textContent({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => null)) ?? '';
    if (wanted.test(last)) return last;
    if (Date.now() > deadline) throw new Error(`Waited ${timeout} ms for ${String(wanted)}; last text: "${last}"`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Records every text the popup's call status shows, so a brief "Ringing…" is not missed between polls. */
export async function recordCallStatuses(popup: Page): Promise<() => Promise<string[]>> {
  await popup.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __statuses: string[] }).__statuses = seen;
    const note = () => {
      const text = document.querySelector('[aria-label="Call status"]')?.textContent ?? null;
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
    note();
  });
  return () => popup.evaluate(() => [...(window as unknown as { __statuses: string[] }).__statuses]);
}

/** The ids of the notifications the extension shows now, as Chrome keeps them (asked from an extension page). */
export async function notificationsOf(browser: ExtensionBrowser): Promise<string[]> {
  const page = await browser.openPopup();
  try {
    return await page.evaluate(async () => Object.keys(await chrome.notifications.getAll()));
  } finally {
    await page.close();
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The bar's region in the page's accessibility tree (it lives in a closed shadow root, as a screen reader finds it). */
async function barNode(cdp: CDPSession): Promise<number | null> {
  const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
  const { nodes } = await cdp.send('Accessibility.queryAXTree', { backendNodeId: root.backendNodeId, accessibleName: 'Current call', role: 'region' });
  return nodes.find((n) => !n.ignored && n.backendDOMNodeId !== undefined)?.backendDOMNodeId ?? null;
}

/** The bar's visible text, '' when it does not show. */
export async function barText(page: Page): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const id = await barNode(cdp);
    if (id === null) return '';
    const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: id });
    const { result } = await cdp.send('Runtime.callFunctionOn', { objectId: object.objectId!, functionDeclaration: 'function () { return this.innerText; }', returnByValue: true });
    return String(result.value ?? '').replace(/\s+/g, ' ').trim();
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

export async function waitForBar(page: Page, wanted: RegExp, timeout = WAIT_MS): Promise<string> {
  const deadline = Date.now() + timeout;
  let last: string;
  for (;;) {
    last = await barText(page);
    if (wanted.test(last)) return last;
    if (Date.now() > deadline) throw new Error(`The call bar never showed ${String(wanted)}; last: "${last}"`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Where the bar is on the page (CSS pixels), null when it does not show. */
export async function barBox(page: Page): Promise<{ x: number; y: number; width: number; height: number } | null> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const id = await barNode(cdp);
    if (id === null) return null;
    const { model } = await cdp.send('DOM.getBoxModel', { backendNodeId: id });
    const q = model.border;
    return { x: q[0]!, y: q[1]!, width: q[4]! - q[0]!, height: q[5]! - q[1]! };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Clicks a button of the bar with the real mouse. */
export async function clickBarButton(page: Page, name: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodes } = await cdp.send('Accessibility.queryAXTree', { backendNodeId: root.backendNodeId, accessibleName: name, role: 'button' });
    const node = nodes.find((n) => !n.ignored && n.backendDOMNodeId !== undefined);
    if (!node) throw new Error(`No "${name}" button in the call bar`);
    const { model } = await cdp.send('DOM.getBoxModel', { backendNodeId: node.backendDOMNodeId! });
    const q = model.border;
    await page.mouse.click((q[0]! + q[4]!) / 2, (q[1]! + q[5]!) / 2);
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/**
 * The content script's own isolated world in a page, driven as a compromised renderer would drive it: `run` evaluates an
 * expression there (with `chrome.runtime` and everything else the content script can reach) and returns its value.
 */
export async function contentScriptWorld(page: Page): Promise<{ run(expression: string): Promise<unknown>; detach(): Promise<void> }> {
  const cdp = await page.context().newCDPSession(page);
  const worlds: { id: number; name: string; auxData?: { type?: string; frameId?: string; isDefault?: boolean } }[] = [];
  cdp.on('Runtime.executionContextCreated', (e) => worlds.push(e.context as (typeof worlds)[number]));
  await cdp.send('Runtime.enable');
  const world = await poll(async () => worlds.find((w) => w.name === 'Click-to-call' && w.auxData?.type === 'isolated') ?? null);
  if (!world) throw new Error('The content script never ran in the page.');
  return {
    run: async (expression) => (await cdp.send('Runtime.evaluate', { contextId: world.id, expression, awaitPromise: true, returnByValue: true })).result.value as unknown,
    detach: () => cdp.detach().catch(() => undefined),
  };
}
