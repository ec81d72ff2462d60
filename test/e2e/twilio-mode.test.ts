// Twilio mode in Chromium: the real built extension and the real Voice SDK against the local Twilio stand-in, call by call,
// including every way it used to fail (signalling down, a token refused, a websocket blip, a microphone denied).
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TWILIO_UNREACHABLE_MESSAGE } from '../../extension/protocol/voice-errors.js';
import type { CloudCall } from '../support/twilio-cloud/twilio-cloud.js';
import {
  browserAvailable,
  clickBarButton,
  clickToCall,
  currentCall,
  DEMO,
  signIn,
  waitForText,
  WAIT_MS,
  useTwilioE2eWorld,
  waitForBar,
  type ExtensionBrowser,
} from './harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!browserAvailable)('in Chromium, Twilio mode: the real Voice SDK against the Twilio stand-in', () => {
  const world = useTwilioE2eWorld({}, { TWILIO_EDGE: 'ashburn' });
  let browser: ExtensionBrowser;
  let crm: Page;
  let leads: Page;
  let popup: Page;

  /** A browser signed in on the demo agent, with the popup open for the CRM page. */
  async function signedIn(options: { microphone?: 'denied' } = {}): Promise<{ browser: ExtensionBrowser; page: Page; popup: Page }> {
    const b = await world.launch(options);
    const page = await b.context.newPage();
    await page.goto(`${world.pages.url}/twilio-outcomes.html`);
    const p = await b.openPopup(page);
    await signIn(p, DEMO);
    return { browser: b, page, popup: p };
  }

  /** Another browser of the demo agent, on a call to Grace Hall placed from the CRM page. */
  async function secondAgentInCall(): Promise<{ other: Awaited<ReturnType<typeof signedIn>>; placed: CloudCall }> {
    const other = await signedIn();
    await other.popup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
    await other.page.goto(`${world.pages.url}/crm.html`);
    const next = world.cloud.nextCall();
    await other.page.bringToFront();
    await clickToCall(other.page, '(646) 555-0149');
    const placed = await next;
    await waitForText(currentCall(other.popup).status, /^In call/);
    return { other, placed };
  }

  beforeAll(async () => {
    browser = await world.launch();
    crm = await browser.context.newPage();
    await crm.goto(`${world.pages.url}/crm.html`);
    leads = await browser.context.newPage();
    await leads.goto(`${world.pages.url}/twilio-outcomes.html`);
    popup = await browser.openPopup(crm);
    await signIn(popup, DEMO);
    await popup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
  });

  // A failed test leaves no call up for the next one.
  afterEach(async () => {
    const button = currentCall(popup).region.getByRole('button', { name: 'Hang up' });
    if (await button.isVisible().catch(() => false)) await button.click().catch(() => undefined);
  });

  /** Clicks a number on a page and returns the stand-in's call it placed. */
  async function call(page: Page, text: string): Promise<CloudCall> {
    const next = world.cloud.nextCall();
    await page.bringToFront();
    await clickToCall(page, text);
    return next;
  }

  async function hangUp(status: RegExp) {
    const live = currentCall(popup);
    await live.region.getByRole('button', { name: 'Hang up' }).click();
    await waitForText(live.status, status);
  }

  it('connects to the edge TWILIO_EDGE names', () => {
    expect(world.cloud.upgradeHosts.length).toBeGreaterThan(0);
    expect(new Set(world.cloud.upgradeHosts)).toEqual(new Set(['voice-js.ashburn.twilio.com']));
  });

  it('is ready only once the device registered with Twilio', () => {
    expect(world.cloud.received('register').length).toBeGreaterThan(0);
    expect(world.cloud.messages.some((m) => m.direction === 'out' && m.type === 'ready')).toBe(true);
  });

  it('places an answered call with audio both ways, and the agent hangs up', async () => {
    const placed = await call(crm, '(415) 555-0142');
    expect(placed.params).toMatchObject({ To: '+14155550142', contactName: 'Maria Lopez' });
    const live = currentCall(popup);
    await waitForText(live.status, /^In call/);
    // The agent's microphone reaches the far end, and the agent's browser reports receiving the far end's tone.
    await expect.poll(async () => (await world.farEnd.stats(placed.callSid)).bytesReceived, { timeout: WAIT_MS }).toBeGreaterThan(1000);
    await expect.poll(async () => (await world.farEnd.stats(placed.callSid)).agentReports, { timeout: WAIT_MS }).toBeGreaterThan(0);
    expect((await world.farEnd.stats(placed.callSid)).bytesSent).toBeGreaterThan(1000);
    await hangUp(/^Call ended: completed$/);
    expect(await placed.done).toBe('completed');
    expect(placed.endedBy).toBe('agent');
  });

  it('mutes: the far end hears silence until the agent unmutes', async () => {
    const placed = await call(crm, '(646) 555-0149');
    const live = currentCall(popup);
    await waitForText(live.status, /^In call/);
    const energy = async () => (await world.farEnd.stats(placed.callSid)).heardEnergy;
    await expect.poll(energy, { timeout: WAIT_MS }).toBeGreaterThan(0);
    await live.region.getByRole('button', { name: 'Mute' }).click();
    await live.region.getByRole('button', { name: 'Unmute' }).waitFor({ timeout: WAIT_MS });
    await sleep(500); // what was already on the way arrives
    const muted = await energy();
    await sleep(1500);
    expect((await energy()) - muted).toBeLessThan(1e-4);
    await live.region.getByRole('button', { name: 'Unmute' }).click();
    await expect.poll(async () => (await energy()) - muted, { timeout: WAIT_MS }).toBeGreaterThan(1e-4);
    await hangUp(/^Call ended: completed$/);
  });

  it("sends keypad digits, and a number's extension after the answer", async () => {
    world.cloud.knobs.noInbandDtmf = true;
    try {
      const placed = await call(leads, '(212) 555-0183 x204');
      const live = currentCall(popup);
      await waitForText(live.status, /^In call/);
      // The agent sees the extension with the number, in the popup and in the page's call bar.
      expect(await live.region.textContent()).toContain('(212) 555-0183 ext. 204');
      expect(await waitForBar(leads, /ext\. 204/)).toContain('(212) 555-0183 ext. 204');
      await world.cloud.waitFor(() => placed.digits === 'ww204', 'the extension digits');
      await live.region.getByRole('button', { name: 'Keypad' }).click();
      for (const key of ['1', '2', '#']) await live.region.getByRole('button', { name: `Send ${key}` }).click();
      await world.cloud.waitFor(() => placed.digits === 'ww20412#', 'the keypad digits');
      await hangUp(/^Call ended: completed$/);
    } finally {
      world.cloud.knobs.noInbandDtmf = false;
    }
  });

  it('hangs up while connecting: canceled, and Twilio cancels the call', async () => {
    world.cloud.knobs.timing = { ...world.cloud.knobs.timing, ringingAfterMs: 120_000 };
    try {
      const placed = await call(crm, '(415) 555-0142');
      await waitForText(currentCall(popup).status, /^Calling…$/);
      await hangUp(/^Call ended: canceled$/);
      expect(await placed.done).toBe('canceled');
    } finally {
      world.cloud.knobs.timing = { ...world.cloud.knobs.timing, ringingAfterMs: 500 };
    }
    await popup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
  });

  it('hangs up while ringing: canceled', async () => {
    // Rings long enough for the hang-up to come first, however slow the machine is today.
    const timing = world.cloud.knobs.timing;
    world.cloud.knobs.timing = { ...timing, noAnswerAfterMs: 120_000 };
    try {
      const placed = await call(leads, '(303) 555-0001');
      await waitForText(currentCall(popup).status, /^Ringing…$/);
      await hangUp(/^Call ended: canceled$/);
      expect(await placed.done).toBe('canceled');
    } finally {
      world.cloud.knobs.timing = timing;
    }
  });

  it('ends by itself when the far end hangs up', async () => {
    const placed = await call(leads, '(303) 555-0003');
    await waitForText(currentCall(popup).status, /^In call/);
    await waitForText(currentCall(popup).status, /^Call ended: completed$/);
    expect(placed.endedBy).toBe('cloud');
  });

  it.each([
    ['(303) 555-0000', /^Call ended: busy$/, 'busy'],
    ['(303) 555-0001', /^Call ended: no answer$/, 'no-answer'],
    ['(303) 555-0002', /^Call ended: failed$/, 'failed'],
  ])('shows %s as the backend recorded it', async (number, shown, status) => {
    const placed = await call(leads, number);
    await waitForText(currentCall(popup).status, shown);
    expect(await placed.done).toBe(status);
  });

  it('shows a refused number typed in the popup as failed, with the reason the backend gave', async () => {
    // A page's premium-rate number is shown as not callable before any click; a typed one is refused by the backend.
    await popup.bringToFront();
    await popup.getByRole('textbox', { name: 'Number to call' }).fill('(900) 555-0199');
    await popup.getByRole('button', { name: 'Call', exact: true }).click();
    const live = currentCall(popup);
    // This call's panel (the previous test's ended call may still be shown until it is replaced).
    await waitForText(live.region, /\(900\) 555-0199/);
    await waitForText(live.status, /^Call ended: failed$/);
    expect(await live.region.textContent()).toMatch(/premium-rate/i);
  });

  it('keeps an answered call up when the websocket drops for a moment', async () => {
    const placed = await call(crm, '(415) 555-0142');
    const live = currentCall(popup);
    await waitForText(live.status, /^In call/);
    const sockets = world.cloud.messages.filter((m) => m.type === 'listen').length;
    world.cloud.dropSockets();
    // The SDK reconnects, listens again and re-invites with the reconnect token; Twilio keeps the call meanwhile.
    await world.cloud.waitFor(() => world.cloud.received('listen').length > sockets && world.cloud.received('invite').some((m) => m.payload.reconnect), 'the reconnect');
    const before = (await world.farEnd.stats(placed.callSid)).bytesReceived;
    await sleep(1500);
    expect(await live.status.textContent()).toMatch(/^In call/);
    expect(placed.phase).toBe('in-progress');
    expect((await world.farEnd.stats(placed.callSid)).bytesReceived).toBeGreaterThan(before);
    await hangUp(/^Call ended: completed$/);
    expect(await placed.done).toBe('completed');
  });

  it('says the microphone is blocked when the browser denies it', async () => {
    const agent = await signedIn({ microphone: 'denied' });
    try {
      // Never "Ready to call" over a microphone that would fail the call: the popup says why, with the fix.
      await agent.popup.getByText(/allowed to use the microphone|microphone is blocked/).waitFor({ timeout: WAIT_MS });
      await agent.popup.getByRole('button', { name: 'Open the permission page' }).waitFor({ timeout: WAIT_MS });
      expect(await agent.popup.getByText('Ready to call').count()).toBe(0);
      await agent.page.bringToFront();
      await clickToCall(agent.page, '(303) 555-0001');
      const live = currentCall(agent.popup);
      await waitForText(live.status, /^Call ended: failed$/).catch(async (error: Error) => {
        throw new Error(`${error.message}; the popup showed: ${await agent.popup.locator('body').textContent()}; tabs: ${agent.browser.context.pages().map((p) => p.url()).join(' ')}`);
      });
      expect(await live.region.textContent()).toContain('Microphone blocked — click to fix');
    } finally {
      await agent.browser.close();
    }
  });

  it('refreshes a short-lived token mid-call and keeps the call up', async () => {
    world.cloud.knobs.tokenTtlSeconds = 11; // the SDK asks for a new one 10 s before: after about a second
    const agent = await signedIn();
    try {
      await agent.popup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
      const tokens = () => new Set(world.cloud.received('listen').map((m) => m.payload.token)).size;
      const next = world.cloud.nextCall();
      const start = tokens();
      await agent.page.bringToFront();
      await clickToCall(agent.page, '(212) 555-0183 x204');
      const placed = await next;
      const live = currentCall(agent.popup);
      await waitForText(live.status, /^In call/);
      await world.cloud.waitFor(() => tokens() > start, 'a refreshed token', WAIT_MS);
      await sleep(1000);
      expect(await live.status.textContent()).toMatch(/^In call/);
      expect(placed.phase).toBe('in-progress');
      await live.region.getByRole('button', { name: 'Hang up' }).click();
      await waitForText(live.status, /^Call ended: completed$/);
    } finally {
      world.cloud.knobs.tokenTtlSeconds = null;
      await agent.browser.close();
    }
  });

  it('says so in a sentence when Twilio keeps refusing the token as expired, after a bounded number of tries', async () => {
    world.cloud.knobs.rejectTokenCode = 31205;
    const listens = () => world.cloud.received('listen').length;
    const before = listens();
    const agent = await signedIn();
    try {
      await agent.popup.getByText(/clock/).waitFor({ timeout: WAIT_MS * 2 });
      const tried = listens() - before;
      await sleep(2000);
      expect(listens() - before).toBe(tried);
      expect(tried).toBeLessThanOrEqual(4);
    } finally {
      world.cloud.knobs.rejectTokenCode = null;
      await agent.browser.close();
    }
  }, 40_000);

  it('says Twilio cannot be reached within the bound; a call given up on is never placed; the next one goes through', async () => {
    world.cloud.knobs.refuseSockets = true;
    const agent = await signedIn();
    try {
      const status = currentCall(agent.popup).status;
      await agent.popup.getByText(TWILIO_UNREACHABLE_MESSAGE).waitFor({ timeout: 15_000 });
      // A click while unreachable: a sentence within the 10 s bound.
      await agent.page.bringToFront();
      await clickToCall(agent.page, '(212) 555-0183 x204');
      await waitForText(status, /^Calling…$/);
      await waitForText(status, /^Call ended: failed$/, 15_000);
      expect(await currentCall(agent.popup).region.textContent()).toContain(TWILIO_UNREACHABLE_MESSAGE);
      // Another, given up on at once; then Twilio is back: that call is never placed.
      await clickToCall(agent.page, '(212) 555-0183 x204');
      await waitForText(status, /^Calling…$/);
      await currentCall(agent.popup).region.getByRole('button', { name: 'Hang up' }).click();
      await waitForText(status, /^Call ended: canceled$/);
      const calls = world.cloud.calls().length;
      world.cloud.knobs.refuseSockets = false;
      await agent.popup.getByText('Ready to call').waitFor({ timeout: 15_000 });
      await sleep(1500);
      expect(world.cloud.calls().length).toBe(calls);
      const next = world.cloud.nextCall();
      await agent.page.bringToFront();
      await clickToCall(agent.page, '(212) 555-0183 x204');
      await next;
      await waitForText(status, /^In call/);
      await currentCall(agent.popup).region.getByRole('button', { name: 'Hang up' }).click();
      await waitForText(status, /^Call ended: completed$/);
    } finally {
      world.cloud.knobs.refuseSockets = false;
      await agent.browser.close();
    }
  }, 60_000);

  it("never fetched the SDK's sounds from sdk.twilio.com", () => {
    expect(world.cloud.httpRequests.filter((r) => r.host.startsWith('sdk.'))).toEqual([]);
  });
  it('shows the call in the page\'s call bar, hangs up from it; busy is said there as such', async () => {
    await call(crm, '(415) 555-0142');
    await waitForBar(crm, /Maria Lopez.*In call/);
    await clickBarButton(crm, 'Hang up');
    await waitForBar(crm, /Call ended/);
    await waitForBar(crm, /^$/, 12_000);
    await call(leads, '(303) 555-0000');
    await waitForBar(leads, /Busy/);
  });

  it('asks before signing out during a call, then ends it on both sides', async () => {
    const { other, placed } = await secondAgentInCall();
    await other.popup.getByRole('button', { name: 'Sign out' }).click();
    await other.popup.getByRole('alertdialog').waitFor({ timeout: WAIT_MS });
    await other.popup.getByRole('button', { name: 'Hang up and sign out' }).click();
    await other.popup.getByRole('form', { name: 'Sign in' }).waitFor({ timeout: WAIT_MS });
    await world.cloud.waitFor(() => placed.endedBy !== null, 'the call to end at Twilio');
    await other.browser.close();
  });

  it('offers to end, through Twilio\'s REST API, a call the softphone lost when the network dropped and its document closed', async () => {
    const { other, placed } = await secondAgentInCall();

    // The network drops, then the softphone's document goes before it could say goodbye (as in a crash): the SDK's own
    // hang-up never reaches Twilio, which keeps the call for its reconnect window (30 s).
    world.cloud.dropSockets();
    await (await other.browser.serviceWorker()).evaluate(() => chrome.offscreen.closeDocument());
    expect(placed.endedBy).toBeNull();
    await other.popup.reload();
    const notice = other.popup.getByRole('alert').filter({ hasText: 'The server still has your call' });
    await notice.waitFor({ timeout: 20_000 });
    await notice.getByRole('button', { name: 'End that call' }).click();
    await notice.waitFor({ state: 'detached', timeout: WAIT_MS });
    await world.cloud.waitFor(() => placed.endedBy !== null, 'the call to end at Twilio');
    expect(placed.endedBy).toBe('cloud');
    const { rows } = await world.backend.db.query<{ status: string }>('select status from calls where twilio_call_sid = $1', [placed.callSid]);
    expect(rows[0]?.status).toBe('completed');
    await other.browser.close();
  }, 90_000);

  // Last in this world: it restarts the backend.
  it('keeps an answered call up while the backend restarts, says it restarts, and records how the call ended once back', async () => {
    const placed = await call(crm, '(415) 555-0142');
    const live = currentCall(popup);
    await waitForText(live.status, /^In call/);

    // The call's media and signalling are Twilio's: a backend going down ends neither, and the popup says what is happening.
    const restarted = world.restartBackend(4000);
    await popup.getByText('The backend is restarting. This reconnects by itself when it is back.').first().waitFor({ timeout: 5000 });
    expect(await live.status.textContent()).toMatch(/^In call/);
    expect(placed.endedBy).toBeNull();
    await restarted;
    await popup.getByText('The backend is restarting. This reconnects by itself when it is back.').first().waitFor({ state: 'detached', timeout: 20_000 });

    // Still one call, with audio, and the server it came back to still has it open.
    const heard = (await world.farEnd.stats(placed.callSid)).bytesReceived;
    await expect.poll(async () => (await world.farEnd.stats(placed.callSid)).bytesReceived, { timeout: WAIT_MS }).toBeGreaterThan(heard);
    expect(await live.status.textContent()).toMatch(/^In call/);
    const status = async () => (await world.backend.db.query<{ status: string }>('select status from calls where twilio_call_sid = $1', [placed.callSid])).rows[0]?.status;
    expect(await status()).toBe('in-progress');

    // Twilio's last callback reaches the restarted backend.
    await hangUp(/^Call ended: completed$/);
    expect(await placed.done).toBe('completed');
    await expect.poll(status, { timeout: WAIT_MS }).toBe('completed');
  }, 90_000);
});

describe.skipIf(!browserAvailable)('in Chromium, Twilio mode with a wrong API secret', () => {
  const world = useTwilioE2eWorld({}, { TWILIO_API_SECRET: 'not-the-secret-twilio-knows' });
  let browser: ExtensionBrowser;

  afterAll(async () => {
    await browser?.close();
  });

  it('says in a sentence who can fix it, and stops trying', async () => {
    browser = await world.launch();
    const page = await browser.context.newPage();
    await page.goto(`${world.pages.url}/crm.html`);
    const popup = await browser.openPopup(page);
    await signIn(popup, DEMO);
    await popup.getByText(/TWILIO_API_SECRET/).waitFor({ timeout: WAIT_MS });
    const listens = world.cloud.received('listen').length;
    await sleep(2000);
    expect(world.cloud.received('listen').length).toBe(listens);
    expect(listens).toBeLessThanOrEqual(2);
    expect(world.cloud.messages.filter((m) => m.type === 'error').every((m) => (m.payload.error as { code: number }).code === 31202 || (m.payload.error as { code: number }).code === 31204)).toBe(true);
  });
});
