// Twilio mode in Chromium: the real built extension and the real Voice SDK against the local Twilio stand-in, call by call.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  browserAvailable,
  clickToCall,
  currentCall,
  DEMO,
  signIn,
  waitForText,
  WAIT_MS,
  useTwilioE2eWorld,
  type ExtensionBrowser,
} from './harness.js';

describe.skipIf(!browserAvailable)('in Chromium, Twilio mode: the real Voice SDK against the Twilio stand-in', () => {
  const world = useTwilioE2eWorld();
  let browser: ExtensionBrowser;
  let crm: Page;
  let popup: Page;

  beforeAll(async () => {
    browser = await world.launch();
    crm = await browser.context.newPage();
    await crm.goto(`${world.pages.url}/crm.html`);
    popup = await browser.openPopup(crm);
    await signIn(popup, DEMO);
    await popup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
  });

  it('places an answered call with audio both ways, and the agent hangs up', async () => {
    const next = world.cloud.nextCall();
    await crm.bringToFront();
    await clickToCall(crm, '(415) 555-0142');
    const call = await next;
    expect(call.params).toMatchObject({ To: '+14155550142', contactName: 'Maria Lopez' });
    const live = currentCall(popup);
    await waitForText(live.status, /^In call/);
    await expect.poll(async () => (await world.farEnd.stats(call.callSid)).bytesReceived, { timeout: WAIT_MS }).toBeGreaterThan(1000);
    await live.region.getByRole('button', { name: 'Hang up' }).click();
    await waitForText(live.status, /^Call ended: completed$/);
    expect(await call.done).toBe('completed');
  });
});
