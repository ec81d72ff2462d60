// Microphone and speaker chosen in the options (Chromium's fake devices): listed by name, kept for the agent across a
// reload, and applied by the offscreen softphone (the microphone it opens for a call, the speaker its ringtone plays on).
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, clickBarButton, clickToCall, evaluateInOffscreen, poll, screenshot, useE2eWorld, waitForBar, WAIT_MS, type ExtensionBrowser } from './harness.js';

describe.skipIf(!browserAvailable)('in Chromium: the microphone and speaker the agent chose', () => {
  const world = useE2eWorld();
  let browser: ExtensionBrowser;
  let options: Page;
  const chosen = { input: '', output: '' };

  beforeAll(async () => {
    browser = await world.launchSignedIn();
    options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/extension/options/index.html`);
  });

  it('lists the devices by name and keeps the choice for the agent across a reload', async () => {
    const mic = options.getByRole('combobox', { name: 'Microphone' });
    const speaker = options.getByRole('combobox', { name: 'Speaker' });
    await mic.waitFor({ timeout: WAIT_MS });
    const micNames = await mic.locator('option').allTextContents();
    expect(micNames[0]).toBe('System default');
    expect(micNames).toContain('Fake Audio Input 2');
    expect(await speaker.locator('option').allTextContents()).toContain('Fake Audio Output 2');
    // Signed in, the microphone allowed: no sentence about hidden names.
    expect(await options.getByText('The browser shows device names only once').count()).toBe(0);
    expect(await options.getByText('Kept for Demo Agent on this computer.').count()).toBe(1);

    await mic.selectOption({ label: 'Fake Audio Input 2' });
    await options.getByRole('status').filter({ hasText: 'Saved.' }).waitFor({ timeout: WAIT_MS });
    await speaker.selectOption({ label: 'Fake Audio Output 2' });
    chosen.input = await mic.inputValue();
    chosen.output = await speaker.inputValue();
    expect(chosen.input).not.toBe('');
    expect(chosen.output).not.toBe('');
    await screenshot(options, 'options-audio-devices');

    await options.reload();
    await options.getByRole('combobox', { name: 'Microphone' }).waitFor({ timeout: WAIT_MS });
    await poll(async () => (await options.getByRole('combobox', { name: 'Microphone' }).inputValue()) === chosen.input);
    expect(await options.getByRole('combobox', { name: 'Microphone' }).inputValue()).toBe(chosen.input);
    expect(await options.getByRole('combobox', { name: 'Speaker' }).inputValue()).toBe(chosen.output);
  });

  it('opens the chosen microphone for a call and plays on the chosen speaker; System default again goes back', async () => {
    // Applied as soon as it is chosen where the softphone runs (the ringtone's output).
    expect(await poll(async () => (await evaluateInOffscreen(browser.context, 'document.documentElement.dataset.speaker')) === chosen.output)).toBe(true);
    const crm = await browser.context.newPage();
    await crm.goto(`${world.pages.url}/crm.html`);
    await clickToCall(crm, '(415) 555-0142');
    await waitForBar(crm, /In call/);
    expect(await evaluateInOffscreen(browser.context, 'document.documentElement.dataset.microphone')).toBe(chosen.input);

    await options.bringToFront();
    await options.getByRole('combobox', { name: 'Speaker' }).selectOption({ label: 'System default' });
    expect(await poll(async () => (await evaluateInOffscreen(browser.context, 'document.documentElement.dataset.speaker')) === 'default')).toBe(true);
    await options.getByRole('combobox', { name: 'Microphone' }).selectOption({ label: 'System default' });
    await crm.bringToFront();
    await waitForBar(crm, /In call/);
    await clickBarButton(crm, 'Hang up');
    await waitForBar(crm, /Call ended/);
  });

  it('calls on the system microphone when the chosen one is unplugged, and the options say it is not connected', async () => {
    // A microphone chosen earlier that this computer does not have now (a headset left at the office).
    await (await browser.serviceWorker()).evaluate(async () => {
      const { 'c2c:session': session } = await chrome.storage.local.get('c2c:session');
      const agentId = (session as { agent: { id: string } }).agent.id;
      await chrome.storage.local.set({ 'c2c:audio-devices': { [agentId]: { inputDeviceId: 'headset-left-at-the-office', outputDeviceId: null } } });
    });
    await options.reload();
    const mic = options.getByRole('combobox', { name: 'Microphone' });
    await mic.waitFor({ timeout: WAIT_MS });
    await poll(async () => (await mic.inputValue()) === 'headset-left-at-the-office');
    expect(await mic.locator('option:checked').textContent()).toBe('A device that is not connected now');
    const crm = await browser.context.newPage();
    await crm.goto(`${world.pages.url}/crm.html`);
    await clickToCall(crm, '(646) 555-0149');
    await waitForBar(crm, /In call/);
    expect(await evaluateInOffscreen(browser.context, 'document.documentElement.dataset.microphone')).toBe('default');
    await clickBarButton(crm, 'Hang up');
    await waitForBar(crm, /Call ended/);
  });
});
