// A person signs in through the popup, clicks a number on a CRM page, watches the call, hangs up and finds it in history.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  browserAvailable,
  clickToCall,
  hoverUntilCallButton,
  PERSON_PAUSE_MS,
  currentCall,
  DEMO,
  recordCallStatuses,
  screenshot,
  signIn,
  waitForText,
  WAIT_MS,
  useE2eWorld,
  type ExtensionBrowser,
} from './harness.js';

describe.skipIf(!browserAvailable)('in Chromium: signing in and calling from a page', () => {
  const world = useE2eWorld();
  let browser: ExtensionBrowser;
  let crm: Page;
  let popup: Page;

  beforeAll(async () => {
    browser = await world.launch();
  });

  it('refuses a wrong password with a sentence, then signs in with the right one', async () => {
    crm = await browser.context.newPage();
    await crm.goto(`${world.pages.url}/crm.html`);
    popup = await browser.openPopup(crm);
    await signIn(popup, { email: DEMO.email, password: 'not-the-password' });
    const alert = popup.getByRole('alert');
    await alert.waitFor({ timeout: WAIT_MS });
    expect(await alert.textContent()).toMatch(/password/i);
    expect(await popup.getByRole('form', { name: 'Sign in' }).isVisible()).toBe(true);

    await signIn(popup, DEMO);
    await popup.getByText(DEMO.name).waitFor({ timeout: WAIT_MS });
    await popup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
    await popup.getByText('No calls of yours yet.').waitFor({ timeout: WAIT_MS });
    await popup.getByRole('list', { name: 'Numbers on this page' }).getByRole('button', { name: 'Call (415) 555-0142' }).waitFor({ timeout: WAIT_MS });
    // Readable: Chrome shrinks extension pages' body text to 75% unless the page says otherwise.
    const rowFontPx = await popup.getByRole('list', { name: 'Numbers on this page' }).getByRole('listitem').first().evaluate((li) => parseFloat(getComputedStyle(li).fontSize));
    expect(rowFontPx).toBeGreaterThanOrEqual(12);
    await screenshot(popup, 'popup-idle');
  });

  it('calls a number clicked on the page: ringing, then in progress, then hung up and in history with its duration and contact', async () => {
    const statuses = await recordCallStatuses(popup);
    await crm.bringToFront();
    const chip = await hoverUntilCallButton(crm, '(415) 555-0142');
    await screenshot(crm, 'overlay-crm');
    await crm.mouse.move(chip.x, chip.y, { steps: 2 });
    await new Promise((r) => setTimeout(r, PERSON_PAUSE_MS));
    await crm.mouse.down();
    await crm.mouse.up();

    const call = currentCall(popup);
    await waitForText(call.status, /^In call \d+:\d\d$/);
    expect(await call.region.textContent()).toContain('Maria Lopez');
    await waitForText(call.status, /^In call 0:0[1-9]$/);
    await screenshot(popup, 'popup-in-call');
    const seen = await statuses();
    expect(seen.indexOf('Ringing…')).toBeGreaterThanOrEqual(0);
    expect(seen.findIndex((s) => s.startsWith('In call'))).toBeGreaterThan(seen.indexOf('Ringing…'));

    await call.region.getByRole('button', { name: 'Hang up' }).click();
    await waitForText(call.status, /^Call ended: completed$/);

    const row = popup.getByRole('list', { name: 'Call history' }).getByRole('listitem', { name: 'Maria Lopez, Completed' });
    await row.waitFor({ timeout: WAIT_MS });
    expect(await row.textContent()).toMatch(/\(415\) 555-0142.*Completed · \d+:\d\d · Today \d\d:\d\d · /);
    expect(await row.textContent()).toContain('Contacts · Acme CRM');
    await screenshot(popup, 'popup-history');
  });

  it('says in words when the line is busy', async () => {
    await crm.bringToFront();
    await clickToCall(crm, '(212) 555-0000');
    await waitForText(currentCall(popup).status, /^Call ended: busy$/);
    await popup.getByRole('list', { name: 'Call history' }).getByRole('listitem', { name: 'Sam Carter, Busy' }).waitFor({ timeout: WAIT_MS });
  });

  it('says why a typed number cannot be called, and why the backend refused a country that is not allowed', async () => {
    await popup.bringToFront();
    const dial = popup.getByRole('form', { name: 'Dial a number' });
    await dial.getByLabel('Number to call').fill('555-12');
    await dial.getByRole('button', { name: 'Call' }).click();
    const invalid = popup.getByRole('alert').filter({ hasText: '"555-12" is not a valid phone number' });
    await invalid.waitFor({ timeout: WAIT_MS });
    expect(await invalid.textContent()).toContain('Use a format such as (415) 555-0100');

    await dial.getByLabel('Number to call').fill('+44 20 7946 0958');
    await dial.getByRole('button', { name: 'Call' }).click();
    const call = currentCall(popup);
    await waitForText(call.status, /^Call ended: failed$/);
    const reason = (await call.region.getByRole('alert').textContent()) ?? '';
    expect(reason).toMatch(/countr|allowed/i);
    await screenshot(popup, 'popup-refused');
  });

  it("offers Call on the demo page's numbers and calls the contact of the row", async () => {
    const demo = await browser.context.newPage();
    await demo.goto(`${world.backend.url}/demo`);
    const chip = await hoverUntilCallButton(demo, '(415) 555-0134');
    await screenshot(demo, 'overlay-demo');
    await demo.mouse.move(chip.x, chip.y, { steps: 2 });
    await new Promise((r) => setTimeout(r, PERSON_PAUSE_MS));
    await demo.mouse.down();
    await demo.mouse.up();
    const call = currentCall(popup);
    await waitForText(call.status, /^In call/);
    expect(await call.region.textContent()).toContain('Grace Hall');
    await call.region.getByRole('button', { name: 'Hang up' }).click();
    await waitForText(call.status, /^Call ended: completed$/);
    await demo.close();
  });
});
