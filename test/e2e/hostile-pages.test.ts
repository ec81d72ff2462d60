// Hostile pages try to make the extension dial: every attack places no call; a person's hover, pause and click still do.
import type { CDPSession, Frame, Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { browserAvailable, contentScriptWorld, PERSON_PAUSE_MS, poll, WAIT_MS, useE2eWorld, type ExtensionBrowser } from './harness.js';


interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where a text's glyphs are, in the top page's coordinates (the frame's offset added for a number inside an iframe). */
async function textBox(page: Page, text: string, frame: Frame = page.mainFrame()): Promise<Box> {
  const inFrame = await frame.locator('body').evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = n.textContent?.indexOf(wanted) ?? -1;
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(n, at);
      range.setEnd(n, at + wanted.length);
      const r = range.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }
    return null;
  }, text);
  if (!inFrame) throw new Error(`"${text}" is not in ${frame.url()}`);
  if (frame === page.mainFrame()) return inFrame;
  const element = await frame.frameElement();
  const box = await element.boundingBox();
  const border = await element.evaluate((el) => ({ left: (el as Element).clientLeft, top: (el as Element).clientTop }));
  return { ...inFrame, x: inFrame.x + box!.x + border.left, y: inFrame.y + box!.y + border.top };
}

/** A Call chip's centre, in the top page's coordinates, if one shows in that frame (found as a screen reader would). */
async function chipIn(page: Page, frame: Frame = page.mainFrame()): Promise<{ x: number; y: number; name: string } | null> {
  let cdp: CDPSession;
  let frameId: string | undefined;
  try {
    cdp = await page.context().newCDPSession(frame === page.mainFrame() ? page : frame);
  } catch {
    // A same-process frame shares its page's session: its tree is asked for by frame id.
    cdp = await page.context().newCDPSession(page);
    const { frameTree } = await cdp.send('Page.getFrameTree');
    type Tree = { frame: { id: string; url: string; name?: string }; childFrames?: Tree[] };
    const find = (t: Tree): string | undefined => (t.frame.url === frame.url() && (t.frame.name ?? '') === frame.name() ? t.frame.id : t.childFrames?.map(find).find(Boolean));
    frameId = (frameTree as Tree).childFrames?.map(find).find(Boolean);
  }
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree', frameId ? { frameId } : {});
    for (const node of nodes) {
      const name = node.name?.value;
      if (node.ignored || node.role?.value !== 'button' || typeof name !== 'string' || !name.startsWith('Call ') || node.backendDOMNodeId === undefined) continue;
      const box = await cdp.send('DOM.getBoxModel', { backendNodeId: node.backendDOMNodeId }).catch(() => null);
      const q = box?.model.border;
      if (!box || !q || box.model.width === 0) continue;
      let x = (q[0]! + q[4]!) / 2;
      let y = (q[1]! + q[5]!) / 2;
      if (frame !== page.mainFrame()) {
        const element = await frame.frameElement();
        const fb = await element.boundingBox();
        const border = await element.evaluate((el) => ({ left: (el as Element).clientLeft, top: (el as Element).clientTop }));
        // Out-of-process frames report their own coordinates; same-process ones the page's.
        if (x < fb!.x || y < fb!.y) {
          x += fb!.x + border.left;
          y += fb!.y + border.top;
        }
      }
      return { x, y, name };
    }
    return null;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}


/** The frame of the iframe element with that id. */
async function frameById(page: Page, id: string): Promise<Frame> {
  for (const f of page.frames()) {
    if (f === page.mainFrame()) continue;
    if ((await (await f.frameElement()).getAttribute('id')) === id) return f;
  }
  throw new Error(`No frame #${id} on ${page.url()}`);
}

async function waitForNumber(confirm: Page, text: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!((await confirm.locator('#number').textContent()) ?? '').includes(text)) {
    if (Date.now() > deadline) throw new Error(`The confirmation window never showed ${text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!browserAvailable)('in Chromium: no web page can make the extension dial', () => {
  const world = useE2eWorld();
  let browser: ExtensionBrowser;

  /** Every call the backend recorded, in order. */
  const calls = async () =>
    (await world.backend.db.query<{ to_number: string; page_url: string | null; page_title: string | null; status: string }>('select to_number, page_url, page_title, status from calls order by created_at')).rows;
  /** Waits long enough for a dial the page might have caused to reach the backend, then says how many calls there are. */
  async function settledCallCount(): Promise<number> {
    await pause(1500);
    return (await calls()).length;
  }
  async function hangUpIfLive(): Promise<void> {
    const sw = await browser.serviceWorker();
    await sw.evaluate(() => chrome.runtime.sendMessage({ type: 'c2c:offscreen:hangup' }).catch(() => undefined)).catch(() => undefined);
  }

  /** A person: pointer onto the number, waits for the chip, looks at it, moves onto it and clicks. */
  async function personClicksCall(page: Page, text: string, frame?: Frame): Promise<string> {
    const box = await textBox(page, text, frame);
    await page.mouse.move(1, 1);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    const chip = await poll(() => chipIn(page, frame));
    if (!chip) throw new Error(`No Call chip appeared for "${text}"`);
    await page.mouse.move(chip.x, chip.y, { steps: 4 });
    await pause(PERSON_PAUSE_MS);
    await page.mouse.down();
    await page.mouse.up();
    return chip.name;
  }

  beforeAll(async () => {
    browser = await world.launchSignedIn();
  });

  beforeEach(async () => {
    await hangUpIfLive();
  });

  it('decoy over an invisible chip: transparent, off-screen, clipped and aria-hidden numbers get no chip, and clicking the prize places no call', async () => {
    const before = (await calls()).length;
    const page = await browser.context.newPage();
    await page.goto(`${world.pages.url}/hostile-decoy.html`);
    await pause(1200);
    // The page's fake mousemoves keep asking for the invisible number's chip: none shows.
    expect(await chipIn(page)).toBeNull();
    await page.mouse.move(240, 140, { steps: 4 });
    await pause(PERSON_PAUSE_MS);
    await page.mouse.click(240, 140);
    await page.mouse.click(120, 130);
    expect(await settledCallCount()).toBe(before);
    await page.close();
  });

  it('a page that makes the overlay transparent: the click on the invisible chip places no call', async () => {
    const before = (await calls()).length;
    const page = await browser.context.newPage();
    await page.goto(`${world.pages.url}/hostile-restyle.html`);
    const box = await textBox(page, '(415) 555-0174');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    const chip = await poll(() => chipIn(page), 3000);
    // Where the chip would be (to the right of the number) whether or not it is in the accessibility tree.
    const target = chip ?? { x: box.x + box.width + 40, y: box.y + box.height / 2 };
    await page.mouse.move(target.x, target.y, { steps: 4 });
    await pause(PERSON_PAUSE_MS);
    await page.mouse.click(target.x, target.y);
    expect(await settledCallCount()).toBe(before);
    await page.close();
  });

  it('keyjacking: focus stolen to an off-screen number and a page-made Tab, then the person presses Enter and space: no call', async () => {
    const before = (await calls()).length;
    const page = await browser.context.newPage();
    await page.goto(`${world.pages.url}/hostile-keyjack.html`);
    await page.locator('#name').click();
    await page.keyboard.type('Ada');
    await page.evaluate(() => (window as unknown as { keyjack(): void }).keyjack());
    await pause(PERSON_PAUSE_MS);
    await page.keyboard.press('Enter');
    await page.keyboard.press(' ');
    // And a real Tab from the focused number, then Enter at a typist's pace: the chip was never seen long enough.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await settledCallCount()).toBe(before);
    await page.close();
  });

  it('a number that follows the pointer so its chip lands under it: clicking Play places no call', async () => {
    const before = (await calls()).length;
    const page = await browser.context.newPage();
    await page.goto(`${world.pages.url}/hostile-follow.html`);
    await page.mouse.move(100, 100);
    await page.mouse.move(400, 290, { steps: 8 });
    await pause(PERSON_PAUSE_MS);
    await page.mouse.click(400, 290);
    await page.mouse.move(402, 291);
    await pause(PERSON_PAUSE_MS);
    await page.mouse.click(402, 291);
    expect(await settledCallCount()).toBe(before);
    await page.close();
  });

  it('frames: the cross-origin ad gets no chip for its ghost number, and its visible number asks for confirmation in an extension window', async () => {
    const before = (await calls()).length;
    const page = await browser.context.newPage();
    await page.goto(`${world.pages.url}/hostile-frames.html`);
    const ad = page.frames().find((f) => f.url().includes('frame-ad.html'))!;
    await pause(1000);
    expect(await chipIn(page, ad)).toBeNull();

    const confirmation = browser.context.waitForEvent('page', { timeout: WAIT_MS });
    await personClicksCall(page, '(415) 555-0177', ad);
    const confirm = await confirmation;
    await confirm.waitForLoadState();
    expect(confirm.url()).toContain('/extension/confirm/');
    await waitForNumber(confirm, '(415) 555-0177');
    expect(await confirm.locator('body').textContent()).toMatch(/localhost/);
    // Nothing rings until the agent says so; Cancel places nothing.
    expect(await settledCallCount()).toBe(before);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await settledCallCount()).toBe(before);

    // A srcdoc frame counts as a frame too.
    const inline = await frameById(page, 'srcdoc');
    {
      const second = browser.context.waitForEvent('page', { timeout: WAIT_MS });
      await personClicksCall(page, '(415) 555-0178', inline);
      const confirmInline = await second;
      await confirmInline.getByRole('button', { name: /^Call/ }).click();
      await poll(async () => ((await calls()).length > before ? true : null));
      const placed = (await calls()).at(-1)!;
      expect(placed.to_number).toBe('+14155550178');
      expect(placed.page_url).toBe(`${world.pages.url}/hostile-frames.html`);
    }
    await page.close();
  });

  it('a same-origin frame and the top page still call in one click, recording the real page, not what the message said', async () => {
    const before = (await calls()).length;
    const page = await browser.context.newPage();
    await page.goto(`${world.pages.url}/hostile-frames.html`);
    await personClicksCall(page, '(415) 555-0176');
    await poll(async () => ((await calls()).length > before ? true : null));
    let placed = (await calls()).at(-1)!;
    expect(placed.to_number).toBe('+14155550176');
    expect(placed.page_url).toBe(`${world.pages.url}/hostile-frames.html`);
    expect(placed.page_title).toBe('News of the day');
    await hangUpIfLive();
    await pause(800);

    const same = page.frames().find((f) => f.url().includes('frame-contact.html'))!;
    await personClicksCall(page, '(415) 555-0180', same);
    await poll(async () => ((await calls()).length > before + 1 ? true : null));
    placed = (await calls()).at(-1)!;
    expect(placed.to_number).toBe('+14155550180');
    expect(placed.page_url).toBe(`${world.pages.url}/hostile-frames.html`);
    await page.close();
  });

  it('"On this page" lists the numbers of every frame, each with the frame it is in, and never the ad\'s invisible one', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${world.pages.url}/hostile-frames.html`);
    await poll(async () => page.frames().some((f) => f.url().includes('frame-ad.html')));
    await pause(1000);
    const popup = await browser.openPopup(page);
    const list = popup.getByRole('list', { name: 'Numbers on this page' });
    const fixtureHost = new URL(world.pages.url).host;
    const adHost = `localhost:${new URL(world.pages.url).port}`;
    // The top page, the cross-origin ad, the same-origin widget, a srcdoc frame and a sandboxed (opaque-origin) frame.
    const wanted: Array<[string, string | null]> = [
      ['(415) 555-0176', null],
      ['(415) 555-0177', adHost],
      ['(415) 555-0180', fixtureHost],
      ['(415) 555-0178', 'an embedded frame'],
      ['(415) 555-0179', 'an embedded frame'],
    ];
    for (const [text, frame] of wanted) {
      const row = list.getByRole('listitem').filter({ has: popup.getByRole('button', { name: `Call ${text}` }) });
      await row.waitFor({ timeout: WAIT_MS });
      const shown = (await row.textContent()) ?? '';
      if (frame) expect(shown).toContain(`in ${frame}`);
      else expect(shown).not.toMatch(/ · in /);
    }
    expect(await list.textContent()).not.toMatch(/900/);
    await popup.close();
    await page.close();
  });

  it('tel: links: a link that shows one number and dials another never dials the hidden one; hidden extension digits are not sent', async () => {
    const before = (await calls()).length;
    const page = await browser.context.newPage();
    await page.goto(`${world.pages.url}/hostile-tel.html`);
    // Clicking the links themselves places nothing: a call needs the chip, which shows what is dialled.
    for (const id of ['#mismatch', '#ext', '#hidden-ext']) {
      await page.locator(id).hover();
      await pause(PERSON_PAUSE_MS);
      await page.locator(id).click();
    }
    expect(await settledCallCount()).toBe(before);
    // The mismatching link offers nothing that dials the hidden number: no chip, or one for the number it shows.
    const mismatch = await textBox(page, '+1 (415) 555-0132');
    await page.mouse.move(mismatch.x + mismatch.width / 2, mismatch.y + mismatch.height / 2, { steps: 3 });
    await pause(800);
    expect((await chipIn(page))?.name ?? '').not.toMatch(/212|976/);
    // An honest tel: link still calls in one click on its chip, which shows the number it dials.
    const chipName = await personClicksCall(page, '+1 (415) 555-0183');
    expect(chipName).toBe('Call (415) 555-0183');
    await poll(async () => ((await calls()).length > before ? true : null));
    expect((await calls()).at(-1)!.to_number).toBe('+14155550183');
    expect((await calls()).map((c) => c.to_number)).not.toContain('+12129761234');
    await hangUpIfLive();
    // A click on an honest link itself opens its chip (showing what it dials); one more click on the chip calls.
    await page.mouse.move(1, 1);
    await pause(600);
    const countBefore = (await calls()).length;
    await page.locator('#plain').click();
    const opened = await poll(() => chipIn(page));
    expect(opened?.name).toBe('Call (415) 555-0183');
    expect(await settledCallCount()).toBe(countBefore);
    await page.mouse.move(opened!.x, opened!.y, { steps: 4 });
    await pause(PERSON_PAUSE_MS);
    await page.mouse.click(opened!.x, opened!.y);
    await poll(async () => ((await calls()).length > countBefore ? true : null));
    expect((await calls()).at(-1)!.to_number).toBe('+14155550183');
    await hangUpIfLive();
    // The worded link with a 10-digit "extension" is not offered at all.
    const ext = await page.locator('#ext').boundingBox();
    await page.mouse.move(ext!.x + 10, ext!.y + ext!.height / 2, { steps: 3 });
    await pause(800);
    expect(await chipIn(page)).toBeNull();
    await page.close();
  });

  it('a person on the keyboard: Tab from a focused number onto its chip, a look, Enter: one call', async () => {
    const before = (await calls()).length;
    const page = await browser.context.newPage();
    await page.goto(`${world.pages.url}/hostile-tel.html`);
    await pause(800);
    await page.locator('#plain').focus();
    await page.keyboard.press('Tab');
    await pause(PERSON_PAUSE_MS);
    await page.keyboard.press('Enter');
    await poll(async () => ((await calls()).length > before ? true : null));
    expect((await calls()).at(-1)!.to_number).toBe('+14155550183');
    await hangUpIfLive();
    await page.close();
  });

  it('a page that filters its whole root element (a dark mode) still calls in one click: the chip is in the top layer', async () => {
    const before = (await calls()).length;
    const page = await browser.context.newPage();
    await page.goto(`${world.pages.url}/dark-filter.html`);
    await personClicksCall(page, '(415) 555-0185');
    await poll(async () => ((await calls()).length > before ? true : null));
    expect((await calls()).at(-1)!.to_number).toBe('+14155550185');
    await hangUpIfLive();
    await page.close();
  });

  it('a switched-off site stays off in every frame, srcdoc ones included', async () => {
    const sw = await browser.serviceWorker();
    await sw.evaluate(async () => {
      const stored = (await chrome.storage.sync.get('c2c:options'))['c2c:options'] ?? {};
      await chrome.storage.sync.set({ 'c2c:options': { ...stored, disabledSites: ['127.0.0.1'] } });
    });
    try {
      const before = (await calls()).length;
      const page = await browser.context.newPage();
      await page.goto(`${world.pages.url}/hostile-frames.html`);
      await pause(1000);
      const inline = await frameById(page, 'srcdoc');
      const box = await textBox(page, '(415) 555-0178', inline);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
      await pause(800);
      expect(await chipIn(page, inline)).toBeNull();
      expect(await chipIn(page)).toBeNull();
      await page.mouse.click(box.x + box.width + 40, box.y + box.height / 2);
      expect(await settledCallCount()).toBe(before);
      await page.close();
    } finally {
      await sw.evaluate(async () => {
        const stored = (await chrome.storage.sync.get('c2c:options'))['c2c:options'] ?? {};
        await chrome.storage.sync.set({ 'c2c:options': { ...stored, disabledSites: [] } });
      });
    }
  });

  it('a compromised renderer: cannot read the session, dial through the softphone, forge its state, or move the backend', async () => {
    const before = (await calls()).length;
    const page = await browser.context.newPage();
    await page.goto(`${world.pages.url}/crm.html`);
    const popup = await browser.openPopup(page);
    await popup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
    await page.bringToFront();
    // The content script's own world, as a compromised page process would drive it.
    const { run, detach } = await contentScriptWorld(page);

    const session = await run(`chrome.storage.local.get(null).then((v) => JSON.stringify(v), (e) => 'refused: ' + e.message)`);
    expect(String(session)).toMatch(/^refused/);
    expect(String(session)).not.toMatch(/accessToken|refreshToken/);
    const sessionArea = await run(`(chrome.storage.session ? chrome.storage.session.get(null).then((v) => JSON.stringify(v), (e) => 'refused: ' + e.message) : 'refused: no session area')`);
    expect(String(sessionArea)).toMatch(/^refused/);

    await run(`chrome.runtime.sendMessage({ type: 'c2c:offscreen:dial', params: { To: '+19005550135' } }).then(() => 'sent', (e) => e.message)`);
    await run(`chrome.runtime.sendMessage({ type: 'c2c:softphone-state', state: { ready: true, mode: 'simulated', identity: 'x', call: { id: 'forged', phase: 'open', status: 'in-progress', to: '+19005550136', startedAt: new Date().toISOString(), answeredAt: new Date().toISOString(), muted: false, warnings: [] }, deviceError: null } }).catch(() => 0)`);
    const backendWrite = await run(`chrome.storage.sync.set({ 'c2c:options': { backendUrl: 'https://attacker.example' } }).then(() => 'written', (e) => 'refused: ' + e.message)`);
    const localWrite = await run(`chrome.storage.local.set({ 'c2c:backend': { backendUrl: 'https://attacker.example' } }).then(() => 'written', (e) => 'refused: ' + e.message)`);
    expect(String(localWrite)).toMatch(/^refused/);

    expect(await settledCallCount()).toBe(before);
    expect(await popup.locator('body').textContent()).not.toContain('9005550136');
    // Whatever the page wrote to the sync area, the extension still talks to its own backend.
    expect(String(backendWrite)).toMatch(/^(written|refused)/);
    const backendUrl = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'c2c:sw:get-auth' }).then((a: { backendUrl: string }) => a.backendUrl));
    expect(backendUrl).toBe(world.backend.url);

    // A forged dial message from the content script's world records the tab's real page, not the forged one.
    await run(`chrome.runtime.sendMessage({ type: 'c2c:dial', e164: '+14155550184', text: '(415) 555-0184', contactName: 'Grace Hall', pageUrl: 'https://crm.example/', pageTitle: 'CRM · Grace Hall' }).catch(() => 0)`);
    await poll(async () => ((await calls()).length > before ? true : null));
    const forged = (await calls()).at(-1)!;
    expect(forged.to_number).toBe('+14155550184');
    expect(forged.page_url).toBe(`${world.pages.url}/crm.html`);
    expect(forged.page_title).toBe('Contacts · Acme CRM');
    await detach();
    await popup.close();
    await page.close();
  });
});
