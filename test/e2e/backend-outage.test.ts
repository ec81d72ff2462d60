// The server's record is the truth: a backend restarted mid-call leaves no ghost call, and the next dial works.
import { describe, expect, it } from 'vitest';
import { browserAvailable, clickToCall, currentCall, DEMO, signIn, waitForText, WAIT_MS, useE2eWorld } from './harness.js';

describe.skipIf(!browserAvailable)('in Chromium: the backend restarted during a call', () => {
  const world = useE2eWorld();

  it('ends the call in the popup with the server’s status, and the next click calls', async () => {
    const browser = await world.launch();
    const crm = await browser.context.newPage();
    await crm.goto(`${world.pages.url}/crm.html`);
    const popup = await browser.openPopup(crm);
    await signIn(popup, DEMO);
    await popup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
    await crm.bringToFront();
    await clickToCall(crm, '(415) 555-0142');
    const call = currentCall(popup);
    await waitForText(call.status, /^In call/);

    await world.restartBackend(1500);
    const { rows } = await world.backend.db.query<{ status: string }>('select status from calls order by created_at desc limit 1');
    // Whatever the server recorded is what the popup shows once it is back: no "In call" for a call that is gone.
    await waitForText(call.status, /^Call ended: /, 15_000);
    expect(await call.status.textContent()).toContain(rows[0]!.status === 'in-progress' ? 'completed' : rows[0]!.status);
    await popup.getByText('Ready to call').waitFor({ timeout: 15_000 });

    await crm.bringToFront();
    await clickToCall(crm, '(646) 555-0149');
    await waitForText(call.status, /^In call/);
    await call.region.getByRole('button', { name: 'Hang up' }).click();
    await waitForText(call.status, /^Call ended: completed$/);
  }, 90_000);
});
