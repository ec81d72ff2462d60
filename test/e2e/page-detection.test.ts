// Numbers where real apps put them (a shadow root, a row added after load, a row rendered afresh), and a page whose DOM the extension never touches.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  browserAvailable,
  clickToCall,
  currentCall,
  DEMO,
  hoverText,
  hoverUntilCallButton,
  launchPlainChromium,
  signIn,
  waitForText,
  WAIT_MS,
  useE2eWorld,
  type ExtensionBrowser,
} from './harness.js';

interface PageRecord {
  type: string;
  target: string;
  added: string[];
  removed: string[];
  attribute: string | null;
  oldValue: string | null;
}

describe.skipIf(!browserAvailable)('in Chromium: numbers in shadow roots, single-page apps and re-rendered rows', () => {
  const world = useE2eWorld();
  let browser: ExtensionBrowser;
  let app: Page;
  let popup: Page;

  beforeAll(async () => {
    browser = await world.launch();
    app = await browser.context.newPage();
    await app.goto(`${world.pages.url}/leads-app.html`);
    popup = await browser.openPopup(app);
    await signIn(popup, DEMO);
    await popup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
  });

  /** Clicks a number's Call button, checks the popup calls that number, and hangs up. */
  async function callAndHangUp(text: string, e164: string, within?: string): Promise<string> {
    await app.bringToFront();
    await clickToCall(app, text, within);
    const call = currentCall(popup);
    await waitForText(call.status, /^In call/);
    const shown = (await call.region.textContent()) ?? '';
    // The number as people write it ("(303) 555-0166"): its national digits.
    expect(shown.replace(/\D/g, '')).toContain(e164.slice(2));
    await call.region.getByRole('button', { name: 'Hang up' }).click();
    await waitForText(call.status, /^Call ended: completed$/);
    return shown;
  }

  it('calls a number inside a shadow root', async () => {
    await callAndHangUp('(303) 555-0166', '+13035550166', 'lead-card');
  });

  it('calls a number that a single-page app added after the page loaded', async () => {
    await app.locator('#row-priya').waitFor({ timeout: WAIT_MS });
    const shown = await callAndHangUp('(512) 555-0177', '+15125550177');
    expect(shown).toContain('Priya Shah');
  });

  it('calls a number whose row was thrown away and rendered afresh', async () => {
    await app.bringToFront();
    await hoverUntilCallButton(app, '(415) 555-0188');
    await app.mouse.move(5, 5);
    await app.evaluate(() => (window as unknown as { rerenderOscar(): void }).rerenderOscar());
    const shown = await callAndHangUp('(415) 555-0188', '+14155550188');
    expect(shown).toContain('Oscar Diaz');
  });

  it('lists the numbers of the page, shadow root and late row included, under "On this page"', async () => {
    const fresh = await browser.openPopup(app);
    const list = fresh.getByRole('list', { name: 'Numbers on this page' });
    for (const text of ['(415) 555-0188', '(512) 555-0177', '(303) 555-0166']) await list.getByRole('button', { name: `Call ${text}` }).waitFor({ timeout: WAIT_MS });
    await fresh.close();
  });

  /** Loads the page, lets the app add and re-render rows, hovers numbers, and returns what the page's own MutationObserver saw. */
  async function pageRecords(page: Page, withExtension: boolean): Promise<PageRecord[]> {
    await page.goto(`${world.pages.url}/leads-app.html`);
    await page.locator('#row-priya').waitFor({ timeout: WAIT_MS });
    for (const [text, within] of [['(415) 555-0188', 'body'], ['(303) 555-0166', 'lead-card'], ['(512) 555-0177', 'body']] as const) {
      if (withExtension) await hoverUntilCallButton(page, text, within);
      else await hoverText(page, text, within);
    }
    await page.evaluate(() => (window as unknown as { rerenderOscar(): void }).rerenderOscar());
    if (withExtension) await hoverUntilCallButton(page, '(415) 555-0188');
    else await hoverText(page, '(415) 555-0188');
    // Let the content script's idle-time batches run before reading.
    await page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => setTimeout(resolve, 300))));
    return page.evaluate(() => (window as unknown as { __records: PageRecord[] }).__records);
  }

  it("never changes the page's own DOM: the page sees the same mutations with and without the extension, but for the overlay host", async () => {
    const plain = await launchPlainChromium();
    let without: PageRecord[];
    try {
      without = await pageRecords(await plain.newPage(), false);
    } finally {
      await plain.close();
    }
    const page = await browser.context.newPage();
    const withExtension = await pageRecords(page, true);
    await page.close();

    const isOverlayHost = (r: PageRecord) => r.type === 'childList' && [...r.added, ...r.removed].length > 0 && [...r.added, ...r.removed].every((n) => n === 'c2c-overlay');
    const overlay = withExtension.filter(isOverlayHost);
    expect(overlay.length).toBeGreaterThanOrEqual(1);
    expect(overlay.every((r) => r.target === 'html')).toBe(true);
    expect(withExtension.filter((r) => !isOverlayHost(r))).toEqual(without);
    // The page did change itself (late row, re-render), so the comparison is not of two empty lists.
    expect(without.some((r) => r.added.includes('tr#row-priya'))).toBe(true);
  });
});
