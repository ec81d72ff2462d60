// The server's record is the truth: a backend restarted mid-call says so and leaves no ghost call, and the next dial works.
import { describe, expect, it } from 'vitest';
import { browserAvailable, clickToCall, currentCall, DEMO, signIn, waitForText, WAIT_MS, useE2eWorld } from './harness.js';

describe.skipIf(!browserAvailable)('in Chromium: the backend restarted during a call', () => {
  const world = useE2eWorld();

  /** A signed-in browser on a call to Maria Lopez, placed from the CRM page, with the popup open. */
  async function inCallFromCrm() {
    const browser = await world.launch();
    const crm = await browser.context.newPage();
    await crm.goto(`${world.pages.url}/crm.html`);
    const popup = await browser.openPopup(crm);
    await signIn(popup, DEMO);
    await popup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
    await crm.bringToFront();
    await clickToCall(crm, '(415) 555-0142');
    await waitForText(currentCall(popup).status, /^In call/);
    return { browser, crm, popup };
  }

  it('ends the call in the popup with the server’s status, and the next click calls', async () => {
    const { crm, popup } = await inCallFromCrm();
    const call = currentCall(popup);

    // While it is down, the popup says the backend is restarting (it said so as it closed), not that it is unreachable.
    const restarted = world.restartBackend(6000);
    await popup.getByText('The backend is restarting. This reconnects by itself when it is back.').first().waitFor({ timeout: 5000 });
    await restarted;
    const { rows } = await world.backend.db.query<{ status: string }>('select status from calls order by created_at desc limit 1');
    // Whatever the server recorded is what the popup shows once it is back: no "In call" for a call that is gone. (The
    // ended call's panel may already have been replaced by an idle softphone's state: either way, no ghost.)
    await popup.getByText('Ready to call').waitFor({ timeout: 15_000 });
    const shown = (await call.status.textContent({ timeout: 1000 }).catch(() => null)) ?? '';
    expect(shown).not.toMatch(/^In call/);
    if (shown) expect(shown).toContain(rows[0]!.status === 'in-progress' ? 'completed' : rows[0]!.status);

    await crm.bringToFront();
    await clickToCall(crm, '(646) 555-0149');
    await waitForText(call.status, /^In call/);
    await call.region.getByRole('button', { name: 'Hang up' }).click();
    await waitForText(call.status, /^Call ended: completed$/);
  }, 90_000);

  it('offers to end, on the server, a call the softphone lost when the extension restarted it mid-call', async () => {
    const { browser, crm, popup } = await inCallFromCrm();

    // The softphone's document goes away (a crash, an extension reload) while the far end is still on the line.
    await (await browser.serviceWorker()).evaluate(() => chrome.offscreen.closeDocument());
    const open = await world.backend.db.query<{ id: string; status: string }>('select id, status from calls order by created_at desc limit 1');
    expect(open.rows[0]!.status).toBe('in-progress');

    await popup.reload();
    const notice = popup.getByRole('alert').filter({ hasText: 'The server still has your call' });
    await notice.waitFor({ timeout: 20_000 });
    expect(await notice.textContent()).toContain('+14155550142');
    await notice.getByRole('button', { name: 'End that call' }).click();
    await notice.waitFor({ state: 'detached', timeout: WAIT_MS });
    const ended = await world.backend.db.query<{ status: string }>('select status from calls where id = $1', [open.rows[0]!.id]);
    expect(ended.rows[0]!.status).toBe('completed');

    // Nothing left over: the next click calls.
    await popup.getByText('Ready to call').waitFor({ timeout: 15_000 });
    await crm.bringToFront();
    await clickToCall(crm, '(646) 555-0149');
    await waitForText(currentCall(popup).status, /^In call/);
    await currentCall(popup).region.getByRole('button', { name: 'Hang up' }).click();
    await waitForText(currentCall(popup).status, /^Call ended: completed$/);
  }, 90_000);
});
