// Twilio mode: the microphone and speaker chosen in the options reach the real Voice SDK's Device (AudioHelper): its
// speakers at once, its input device during a call (and released between calls, so the microphone is not held open).
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, clickBarButton, clickToCall, DEMO, evaluateInOffscreen, poll, signIn, useTwilioE2eWorld, waitForBar, WAIT_MS, type ExtensionBrowser } from './harness.js';

describe.skipIf(!browserAvailable)('in Chromium, Twilio mode: the chosen microphone and speaker', () => {
  const world = useTwilioE2eWorld();
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    browser = await world.launch();
    const popup = await browser.openPopup();
    await signIn(popup, DEMO);
    await popup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
    await popup.close();
  });

  it("points the Device's speakers at the chosen one, and its input at the chosen microphone during a call only", async () => {
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/extension/options/index.html`);
    const mic = options.getByRole('combobox', { name: 'Microphone' });
    await mic.waitFor({ timeout: WAIT_MS });
    await mic.selectOption({ label: 'Fake Audio Input 2' });
    await options.getByRole('combobox', { name: 'Speaker' }).selectOption({ label: 'Fake Audio Output 2' });
    const input = await mic.inputValue();
    const output = await options.getByRole('combobox', { name: 'Speaker' }).inputValue();
    const attr = (name: string) => evaluateInOffscreen(browser.context, `document.documentElement.dataset.${name} ?? null`);

    expect(await poll(async () => (await attr('callSpeaker')) === output)).toBe(true);
    expect(await attr('callMicrophone')).not.toBe(input);

    const crm = await browser.context.newPage();
    await crm.goto(`${world.pages.url}/crm.html`);
    const next = world.cloud.nextCall();
    await clickToCall(crm, '(415) 555-0142');
    await next;
    await waitForBar(crm, /In call/);
    expect(await poll(async () => (await attr('callMicrophone')) === input)).toBe(true);
    await clickBarButton(crm, 'Hang up');
    await waitForBar(crm, /Call ended/);
    expect(await poll(async () => (await attr('callMicrophone')) === 'none')).toBe(true);
  });
});
