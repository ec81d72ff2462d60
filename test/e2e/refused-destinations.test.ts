// Numbers the organization may not call (a country not allowed, a premium-rate number) are shown as such before any
// click: a muted highlight, a chip that says why and dials nothing, and in the popup's list rows that Call next skips.
// The policy comes from the backend through the service worker (ALLOWED_COUNTRIES is US,CA in the test backend).
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, clickToCall, currentCall, findButtonNamed, hoverUntilButtonNamed, PERSON_PAUSE_MS, poll, screenshot, useE2eWorld, waitForText, WAIT_MS, type ExtensionBrowser } from './harness.js';

const UK = 'Calls to the United Kingdom are not allowed for your team.';
const PREMIUM = 'This number is a premium-rate number: calls to it are not allowed for your team.';

/** The texts of the ranges in one of the page's highlights (the registry is the document's, seen from any world). */
const highlighted = (page: Page, name: string) =>
  page.evaluate((n) => {
    const h = (CSS as unknown as { highlights?: Map<string, Set<Range>> }).highlights?.get(n);
    return h ? [...h].map((r) => r.toString()).sort() : [];
  }, name);

describe.skipIf(!browserAvailable)('in Chromium: destinations the organization refuses are not offered as callable', () => {
  const world = useE2eWorld();
  let browser: ExtensionBrowser;
  let page: Page;

  beforeAll(async () => {
    browser = await world.launchSignedIn();
    page = await browser.context.newPage();
    await page.goto(`${world.pages.url}/refused-destinations.html`);
  });

  it('paints refused numbers muted and callable ones as usual', async () => {
    const refused = await poll(async () => {
      const texts = await highlighted(page, 'c2c-phone-refused');
      return texts.length >= 3 ? texts : null;
    });
    expect(refused).toEqual(['(900) 555-0199', '+44 20 7946 0958', '+44 20 7946 0959']);
    const callable = await highlighted(page, 'c2c-phone');
    expect(callable).toEqual(['(415) 555-0111', '(415) 555-0112']);
  });

  it('shows a chip that says why on a refused number, and a click on it (or on a refused tel: link) dials nothing', async () => {
    const uk = await hoverUntilButtonNamed(page, '+44 20 7946 0958', UK);
    await screenshot(page, 'refused-destination-chip');
    await page.mouse.move(uk.x, uk.y, { steps: 2 });
    await new Promise((r) => setTimeout(r, PERSON_PAUSE_MS));
    await page.mouse.down();
    await page.mouse.up();
    await hoverUntilButtonNamed(page, '(900) 555-0199', PREMIUM);
    // A person's click on the refused tel: link shows the same chip; the page does not navigate.
    await page.mouse.move(1, 1);
    await page.getByRole('link', { name: '+44 20 7946 0959' }).click();
    expect(await poll(() => findButtonNamed(page, UK))).not.toBeNull();
    expect(page.url()).toContain('refused-destinations.html');

    // Then an allowed number: the one call the backend has is that one (nothing was dialled before it).
    await clickToCall(page, '(415) 555-0111');
    const calls = await poll(async () => {
      const { rows } = await world.backend.db.query<{ to_number: string }>('select to_number from calls order by created_at');
      return rows.length > 0 ? rows : null;
    });
    expect(calls?.map((c) => c.to_number)).toEqual(['+14155550111']);
  });

  it("lists refused numbers in the popup as not callable, with the reason, and Call next skips them", async () => {
    const popup = await browser.openPopup(page);
    const call = currentCall(popup);
    // The call placed from the chip above: answered by now or soon (the simulator answers), then hung up.
    if (/^In call/.test(await waitForText(call.status, /^(In call \d|Call ended)/))) {
      await call.region.getByRole('button', { name: 'Hang up' }).click();
      await waitForText(call.status, /^Call ended/);
    }
    const list = popup.getByRole('list', { name: 'Numbers on this page' });
    await waitForText(list, new RegExp(UK.replace(/\./g, '\\.')));
    const text = (await list.textContent()) ?? '';
    expect(text).toContain(PREMIUM);
    expect(await list.getByRole('button', { name: /London Office|Psychic Hotline|0958|0199/ }).count()).toBe(0);
    await screenshot(popup, 'refused-destinations-popup');
    // Call next starts with Maria Lopez (the page's first callable row), then goes to Sam Carter past the two refused rows.
    await popup.getByRole('button', { name: 'Call next: Maria Lopez' }).click({ timeout: WAIT_MS });
    await waitForText(call.status, /^In call \d+:\d\d$/);
    await call.region.getByRole('button', { name: 'Hang up' }).click();
    await waitForText(call.status, /^Call ended/);
    await popup.getByRole('button', { name: 'Call next: Sam Carter' }).waitFor({ timeout: WAIT_MS });
    const { rows } = await world.backend.db.query<{ to_number: string }>('select to_number from calls order by created_at');
    expect(rows.map((c) => c.to_number)).not.toContain('+442079460958');
    expect(rows.map((c) => c.to_number)).not.toContain('+19005550199');
  });
});
