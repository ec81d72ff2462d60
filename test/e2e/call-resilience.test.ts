// A call outlives its popup and a restarted service worker, a teammate sees it, and a selected number is dialled from the menu or the shortcut.
import type { Page, Worker } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  browserAvailable,
  clickToCall,
  currentCall,
  DEMO,
  signIn,
  TEAMMATE,
  waitForText,
  WAIT_MS,
  useE2eWorld,
  type ExtensionBrowser,
} from './harness.js';

describe.skipIf(!browserAvailable)('in Chromium: a call outlives the popup and the service worker, teammates see it, selections are dialled', () => {
  const world = useE2eWorld();
  let agent: ExtensionBrowser;
  let teammate: ExtensionBrowser;
  let crm: Page;
  let teammatePopup: Page;

  beforeAll(async () => {
    [agent, teammate] = await Promise.all([world.launch(), world.launch()]);
    crm = await agent.context.newPage();
    await crm.goto(`${world.pages.url}/crm.html`);
    const popup = await agent.openPopup(crm);
    await signIn(popup, DEMO);
    await popup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
    await popup.close();
    teammatePopup = await teammate.openPopup();
    await signIn(teammatePopup, TEAMMATE);
    await teammatePopup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
  });

  /** The teammate's view of the demo agent in their own popup's Teammates list. */
  const demoAsSeenByTeammate = () => teammatePopup.getByRole('list', { name: 'Teammates' }).getByRole('listitem').filter({ hasText: DEMO.name });

  async function hangUpFromPopup(popup: Page, status: RegExp = /^Call ended: completed$/): Promise<void> {
    const call = currentCall(popup);
    await call.region.getByRole('button', { name: 'Hang up' }).click();
    await waitForText(call.status, status);
  }

  it('keeps the call when the popup is closed; a teammate sees the agent on a call, then available again', async () => {
    await waitForText(demoAsSeenByTeammate(), /Available$/);
    const popup = await agent.openPopup(crm);
    await crm.bringToFront();
    await clickToCall(crm, '(646) 555-0149');
    await waitForText(currentCall(popup).status, /^In call/);
    await popup.close();

    await waitForText(demoAsSeenByTeammate(), /On a call \(\(646\) 555-0149\)$/);
    const reopened = await agent.openPopup(crm);
    const call = currentCall(reopened);
    await waitForText(call.status, /^In call \d+:\d\d$/);
    expect(await call.region.textContent()).toContain('Grace Hall');
    await waitForText(demoAsSeenByTeammate(), /On a call/);

    await hangUpFromPopup(reopened);
    await waitForText(demoAsSeenByTeammate(), /Available$/);
    await reopened.close();
  });

  it('keeps the call when the service worker is stopped mid-call, and the popup shows it', async () => {
    const popup = await agent.openPopup(crm);
    await crm.bringToFront();
    await clickToCall(crm, '(415) 555-0142');
    await waitForText(currentCall(popup).status, /^In call/);
    await popup.close();

    const before = await agent.serviceWorker();
    await before.evaluate(() => {
      (globalThis as unknown as { __e2eMarker: string }).__e2eMarker = 'before the restart';
    });
    // What a developer does: chrome://serviceworker-internals, Stop (CDP's Target.closeTarget and ServiceWorker.stopAllWorkers
    // leave an extension's worker running here). Chrome starts it again for the next event.
    const internals = await agent.context.newPage();
    await internals.goto('chrome://serviceworker-internals/');
    await internals.getByText(`Scope: chrome-extension://${agent.extensionId}/`).waitFor({ timeout: WAIT_MS });
    expect(await internals.getByRole('button', { name: 'Stop' }).count()).toBe(1);
    await internals.getByRole('button', { name: 'Stop' }).click();
    await internals.close();

    // Opening the popup wakes a fresh worker, which has lost its globals but not the call.
    const reopened = await agent.openPopup(crm);
    const call = currentCall(reopened);
    await waitForText(call.status, /^In call \d+:\d\d$/);
    expect(await call.region.textContent()).toContain('Maria Lopez');
    const after: Worker = await agent.serviceWorker();
    expect(await after.evaluate(() => (globalThis as unknown as { __e2eMarker?: string }).__e2eMarker ?? 'a fresh worker')).toBe('a fresh worker');
    await waitForText(demoAsSeenByTeammate(), /On a call \(\(415\) 555-0142\)$/);

    await hangUpFromPopup(reopened);
    await reopened.getByRole('list', { name: 'Call history' }).getByRole('listitem', { name: 'Maria Lopez, Completed' }).waitFor({ timeout: WAIT_MS });
    await reopened.close();
  });

  it('asks before signing out during a call, then ends the call on both sides: teammates see the agent off the call and Offline', async () => {
    const popup = await agent.openPopup(crm);
    await crm.bringToFront();
    await clickToCall(crm, '(646) 555-0149');
    await waitForText(currentCall(popup).status, /^In call/);
    await waitForText(demoAsSeenByTeammate(), /On a call/);
    await popup.getByRole('button', { name: 'Sign out' }).click();
    const question = popup.getByRole('alertdialog');
    await waitForText(question, /You are on a call with Grace Hall\. Hang up and sign out\?/);
    await popup.getByRole('button', { name: 'Hang up and sign out' }).click();
    await popup.getByRole('form', { name: 'Sign in' }).waitFor({ timeout: WAIT_MS });
    // Off the call, and signed out: Offline at once (not On a call, and not Available either).
    await waitForText(demoAsSeenByTeammate(), /Offline$/);
    const { rows } = await world.backend.db.query<{ n: number }>("select count(*)::int as n from calls where ended_at is null");
    expect(rows[0]!.n).toBe(0);
    // Signed in again, the agent can call at once: nothing is left "already in progress".
    await signIn(popup, DEMO);
    await popup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
    await crm.bringToFront();
    await clickToCall(crm, '(415) 555-0142');
    await waitForText(currentCall(popup).status, /^In call/);
    await hangUpFromPopup(popup);
    await popup.close();
  });

  /** Selects a number on the page the way a person does: a triple click on its cell. */
  async function selectNumber(text: string): Promise<number> {
    await crm.bringToFront();
    await crm.getByRole('cell', { name: text }).click({ clickCount: 3 });
    expect((await crm.evaluate(() => getSelection()?.toString() ?? '')).trim()).toBe(text);
    return agent.tabIdOf(crm);
  }

  it('dials the selected number from the "Call <selection>" context-menu item', async () => {
    const tabId = await selectNumber('(646) 555-0149');
    const popup = await agent.openPopup(crm);
    const sw = await agent.serviceWorker();
    const confirmation = agent.context.waitForEvent('page', { timeout: WAIT_MS });
    // Headless Chromium draws no context menu: Chrome's own onClicked event is dispatched with what the menu would pass,
    // to the listener the extension registered, for the item it created (update() fails for an item that does not exist).
    await sw.evaluate(
      async ({ tabId, selection }) => {
        await chrome.contextMenus.update('c2c-call-selection', {});
        const tab = await chrome.tabs.get(tabId);
        const info = { menuItemId: 'c2c-call-selection', selectionText: selection, editable: false, pageUrl: tab.url ?? '' };
        (chrome.contextMenus.onClicked as unknown as { dispatch(i: typeof info, t: chrome.tabs.Tab): void }).dispatch(info, tab);
      },
      { tabId, selection: '(646) 555-0149' },
    );
    // The number is shown in an extension window, with a countdown the agent can cancel, before it rings.
    const confirm = await confirmation;
    await waitForText(confirm.locator('#number'), /\(646\) 555-0149/);
    await waitForText(confirm.locator('#countdown'), /^Calling in \d s/);
    const call = currentCall(popup);
    await waitForText(call.status, /^In call/);
    expect(await call.region.textContent()).toContain('(646) 555-0149');
    await hangUpFromPopup(popup);
    await popup.close();
  });

  it('dials the number selected on the page with the keyboard command, unless the agent cancels in the confirmation window', async () => {
    const tabId = await selectNumber('(415) 555-0142');
    const popup = await agent.openPopup(crm);
    const sw = await agent.serviceWorker();
    const callCount = async () => (await world.backend.db.query<{ n: number }>('select count(*)::int as n from calls')).rows[0]!.n;
    const before = await callCount();
    const cancelled = agent.context.waitForEvent('page', { timeout: WAIT_MS });
    await sw.evaluate(async (tabId) => {
      const tab = await chrome.tabs.get(tabId);
      (chrome.commands.onCommand as unknown as { dispatch(c: string, t: chrome.tabs.Tab): void }).dispatch('dial-selection', tab);
    }, tabId);
    const first = await cancelled;
    await waitForText(first.locator('#number'), /\(415\) 555-0142/);
    await first.getByRole('button', { name: 'Cancel' }).click();
    await new Promise((r) => setTimeout(r, 4000));
    expect(await callCount()).toBe(before);

    // Headless Chromium has no browser-level shortcuts: Chrome's own onCommand event is dispatched for the command the
    // manifest declares; the extension then reads the selection from the page itself (scripting.executeScript).
    await sw.evaluate(async (tabId) => {
      const declared = (await chrome.commands.getAll()).some((c) => c.name === 'dial-selection');
      if (!declared) throw new Error('The manifest declares no dial-selection command');
      const tab = await chrome.tabs.get(tabId);
      (chrome.commands.onCommand as unknown as { dispatch(c: string, t: chrome.tabs.Tab): void }).dispatch('dial-selection', tab);
    }, tabId);
    const call = currentCall(popup);
    await waitForText(call.status, /^In call/);
    expect(await call.region.textContent()).toContain('(415) 555-0142');
    await hangUpFromPopup(popup);
    await popup.close();
  });
});
