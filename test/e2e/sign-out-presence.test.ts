// Two agents in Chromium: when one signs out, the other's popup shows them Offline within seconds (the sign-out tells
// the backend, which tells teammates), not after the 150 s without a request that Offline is otherwise derived from.
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, DEMO, signIn, TEAMMATE, useE2eWorld, waitForText, WAIT_MS, type ExtensionBrowser } from './harness.js';

describe.skipIf(!browserAvailable)('in Chromium: signing out', () => {
  const world = useE2eWorld();
  let agent: ExtensionBrowser;
  let teammate: ExtensionBrowser;

  beforeAll(async () => {
    [agent, teammate] = await Promise.all([world.launch(), world.launch()]);
  });

  it("shows the agent Offline in a teammate's popup at once", async () => {
    const popup = await agent.openPopup();
    await signIn(popup, DEMO);
    await popup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
    const matePopup = await teammate.openPopup();
    await signIn(matePopup, TEAMMATE);
    await matePopup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
    const demoSeen = matePopup.getByRole('list', { name: 'Teammates' }).getByRole('listitem').filter({ hasText: DEMO.name });
    await waitForText(demoSeen, /Available$/);

    const before = Date.now();
    await popup.getByRole('button', { name: 'Sign out' }).click();
    await popup.getByRole('form', { name: 'Sign in' }).waitFor({ timeout: WAIT_MS });
    await waitForText(demoSeen, /Offline$/, WAIT_MS);
    // Far sooner than the 150 s without a request after which an agent who just closed the browser shows Offline.
    expect(Date.now() - before).toBeLessThan(WAIT_MS);
  });
});
