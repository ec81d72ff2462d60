// The content script in Chromium (the built extension) over the detection fixture pages, and in every kind of frame:
// the same pages jsdom scores in extension/content/page-scanner.test.ts, with real CSS, layout and checkVisibility().
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Frame, type Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BROWSER_ARGS, browserAvailable, WAIT_MS } from './harness.js';

const DIR = path.resolve(import.meta.dirname, '../fixtures/detection');

/** The frame's first-scan mark (made by the content script in that frame), or null if no content script ran there. */
async function firstScan(frame: Frame): Promise<{ numbers: number } | null> {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const detail = await frame
      .evaluate(() => (performance.getEntriesByName('c2c:first-scan')[0] as PerformanceMark | undefined)?.detail ?? null)
      .catch(() => null);
    if (detail) return detail as { numbers: number };
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

describe.skipIf(!browserAvailable)('detection in Chromium with the built extension', () => {
  let server: Server;
  let base: string;
  let context: BrowserContext;
  let worker: Worker;
  let profile: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const file = path.join(DIR, path.normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)).replace(/^(\.\.[/\\])+/, ''));
      readFile(file).then(
        (body) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body),
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { chromiumPath, extensionDir } = inject('e2e');
    profile = await mkdtemp(path.join(tmpdir(), 'c2c-detect-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath!,
      headless: true,
      args: [...BROWSER_ARGS, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`],
    });
    worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: WAIT_MS }));
  });

  afterAll(async () => {
    await context?.close();
    server?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('offers exactly the expected numbers on every detection fixture page', async () => {
    const labelled = JSON.parse(await readFile(path.join(DIR, 'expected.json'), 'utf8')) as { pages: Record<string, string[]> };
    const got: Record<string, string[]> = {};
    for (const page of Object.keys(labelled.pages)) {
      const tab = await context.newPage();
      const url = `${base}/${page}`;
      await tab.goto(url);
      expect(await firstScan(tab.mainFrame()), page).not.toBeNull();
      await tab.waitForTimeout(1000); // the late edits of rendering.html and their rescan
      const listed = (await worker.evaluate(async (u) => {
        const [t] = await chrome.tabs.query({ url: u });
        return chrome.tabs.sendMessage(t!.id!, { type: 'c2c:list-numbers' }, { frameId: 0 });
      }, url)) as { e164: string }[];
      got[page] = [...new Set(listed.map((n) => n.e164))].sort();
      await tab.close();
    }
    const want = Object.fromEntries(Object.entries(labelled.pages).map(([p, n]) => [p, [...n].sort()]));
    expect(got).toEqual(want);
  }, 120_000);

  it('behind an open modal dialog that hides the rest of the page with aria-hidden, offers only the dialog\'s number, and the page\'s again once it closes', async () => {
    const tab = await context.newPage();
    const url = `${base}/account-modal.html`;
    await tab.goto(url);
    expect(await firstScan(tab.mainFrame())).not.toBeNull();
    const listed = async () =>
      [
        ...new Set(
          ((await worker.evaluate(async (u) => {
            const [t] = await chrome.tabs.query({ url: u });
            return chrome.tabs.sendMessage(t!.id!, { type: 'c2c:list-numbers' }, { frameId: 0 });
          }, url)) as { e164: string }[]).map((n) => n.e164),
        ),
      ].sort();
    const poll = async (want: string[]) => {
      const deadline = Date.now() + WAIT_MS;
      let got = await listed();
      while (JSON.stringify(got) !== JSON.stringify(want) && Date.now() < deadline) {
        await tab.waitForTimeout(100);
        got = await listed();
      }
      return got;
    };
    // The page opens its dialog 300 ms after loading.
    expect(await poll(['+13125550185'])).toEqual(['+13125550185']);
    await tab.evaluate(() => {
      document.querySelector('[role="dialog"]')?.remove();
      document.querySelector('.backdrop')?.remove();
      document.getElementById('app')!.removeAttribute('aria-hidden');
    });
    const open = ['+12125550188', '+14155550186', '+16465550187'];
    expect(await poll(open)).toEqual(open);
    await tab.close();
  }, 60_000);

  it('runs in a sandboxed srcdoc frame (opaque origin), a same-origin srcdoc frame and a data: frame', async () => {
    const tab = await context.newPage();
    await tab.goto(`${base}/frames/helpdesk-frames.html`);
    expect(await firstScan(tab.mainFrame())).toMatchObject({ numbers: 1 });
    const byId: Record<string, Frame> = {};
    for (const f of tab.frames()) {
      if (f === tab.mainFrame()) continue;
      const id = await (await f.frameElement()).getAttribute('id');
      if (id) byId[id] = f;
    }
    for (const id of ['sandboxed', 'same-origin', 'data-url']) {
      expect(await firstScan(byId[id]!), id).toMatchObject({ numbers: 1 });
    }
    await tab.close();
  }, 60_000);
});
