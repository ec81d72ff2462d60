// The microphone's truth: "Ready to call" only when it works, and a sentence with its fix when it is blocked or missing.
import { describe, expect, it } from 'vitest';
import { browserAvailable, DEMO, signIn, WAIT_MS, useE2eWorld } from './harness.js';

describe.skipIf(!browserAvailable)('in Chromium: the microphone', () => {
  const world = useE2eWorld();

  it('blocked for the extension: the popup says so with a way to fix it, never "Ready to call"; allowed again, it is ready by itself', async () => {
    // Without the flag that answers every prompt with Allow: the setting below decides, as in a person's Chrome.
    const browser = await world.launch({ withoutArgs: ['--use-fake-ui-for-media-stream'] });
    // What the agent does in Chrome's settings: Microphone, Block, for this extension.
    const cdp = await browser.context.browser()?.newBrowserCDPSession();
    const page = await browser.context.newPage();
    const session = cdp ?? (await browser.context.newCDPSession(page));
    await session.send('Browser.setPermission', { permission: { name: 'microphone' }, setting: 'denied', origin: `chrome-extension://${browser.extensionId}` });
    const popup = await browser.openPopup();
    await signIn(popup, DEMO);
    await popup.getByText('The microphone is blocked for Click-to-call. Open the permission page to allow it.').waitFor({ timeout: WAIT_MS });
    expect(await popup.getByText('Ready to call').count()).toBe(0);
    // Allowed again: the softphone notices by itself and is ready.
    await session.send('Browser.setPermission', { permission: { name: 'microphone' }, setting: 'granted', origin: `chrome-extension://${browser.extensionId}` });
    await popup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
  });

  it('no microphone at all: the popup asks to plug one in', async () => {
    const browser = await world.launch({ withoutArgs: ['--use-fake-device-for-media-stream'] });
    const popup = await browser.openPopup();
    await signIn(popup, DEMO);
    await popup.getByText(/No microphone was found|The microphone is in use by another app/).waitFor({ timeout: WAIT_MS });
    expect(await popup.getByText('Ready to call').count()).toBe(0);
  });
});
