// Calls to the team's number in Twilio mode: the real Voice SDK Device, registered with the Twilio stand-in, rings in the
// page's call bar through the SDK's own invite; the agent answers with audio both ways, or declines and the caller leaves
// a voicemail; the backend records each through Twilio's signed webhooks.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEmbeddedAgent } from '../../backend/auth/embedded-auth.js';
import { readFile } from 'node:fs/promises';
import { barText, browserAvailable, clickBarButton, DEMO, launchPlainChromium, notificationsOf, PERSON_PAUSE_MS, poll, signIn, TEAMMATE, twilioBrowserArgs, useTwilioE2eWorld, waitForBar, WAIT_MS, type ExtensionBrowser } from './harness.js';

const LINE = '+14155550870';

describe.skipIf(!browserAvailable)('in Chromium, Twilio mode: calls to the team\'s number ring the agent\'s Device', () => {
  const world = useTwilioE2eWorld();
  let browser: ExtensionBrowser;
  let crm: Page;

  const callRow = async (sid: string) =>
    (await world.backend.db.query<{ status: string; direction: string; answered_by: string | null; recording_sid: string | null }>(
      'select status, direction, answered_by, recording_sid from calls where twilio_call_sid = $1', [sid],
    )).rows[0] ?? null;

  /** A browser signed in as this agent, on the CRM page in front, once its Device's registration reached the backend. */
  async function agentOnCrm(who: { email: string; password: string }): Promise<{ browser: ExtensionBrowser; page: Page }> {
    const agentBrowser = await world.launch();
    const page = await agentBrowser.context.newPage();
    await page.goto(`${world.pages.url}/crm.html`);
    const popup = await agentBrowser.openPopup(page);
    await signIn(popup, who);
    await popup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
    await popup.close();
    await page.bringToFront();
    const registered = await poll(async () => {
      const { rows } = await world.backend.db.query<{ ok: boolean }>('select softphone_registered_until > now() as ok from voip_users where email = $1', [who.email]);
      return rows[0]?.ok === true;
    });
    expect(registered, `${who.email}'s Device never told the backend it takes incoming calls`).toBe(true);
    return { browser: agentBrowser, page };
  }

  beforeAll(async () => {
    const org = (await world.backend.deps.store.findOrganization('Demo'))!;
    await world.backend.deps.store.addPhoneNumber({ organizationId: org.id, e164: LINE, label: 'Main', isDefault: true, twilioSid: null });
    await addEmbeddedAgent(world.backend.db, world.backend.deps.store, { email: TEAMMATE.email, password: TEAMMATE.password, displayName: TEAMMATE.name, organizationName: 'Demo' });
    ({ browser, page: crm } = await agentOnCrm(DEMO));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('rings in the call bar through the SDK\'s invite, is answered with audio both ways, and is recorded as answered by the agent', async () => {
    const started = Date.now();
    const incoming = world.cloud.placeIncomingCall('+14155550177', LINE);
    const ringing = await waitForBar(crm, /Incoming call/, 15_000);
    const rangAfter = Date.now() - started;
    expect(ringing).toMatch(/\(415\) 555-0177/);
    const leg = incoming.legs[0]!;
    expect(world.cloud.messages.some((m) => m.direction === 'out' && m.type === 'invite' && m.payload.callsid === leg.sid)).toBe(true);

    await new Promise((r) => setTimeout(r, PERSON_PAUSE_MS));
    await clickBarButton(crm, 'Answer');
    await waitForBar(crm, /In call/);
    // The caller hears the agent's microphone, and the agent's browser receives the caller's tone.
    await expect.poll(async () => (await world.farEnd.stats(leg.sid)).bytesReceived, { timeout: WAIT_MS }).toBeGreaterThan(1000);
    await expect.poll(async () => (await world.farEnd.stats(leg.sid)).agentReports, { timeout: WAIT_MS }).toBeGreaterThan(0);
    await expect.poll(async () => (await callRow(incoming.callSid))?.status, { timeout: WAIT_MS }).toBe('in-progress');
    const row = (await callRow(incoming.callSid))!;
    expect(row.direction).toBe('inbound');
    const { rows } = await world.backend.db.query<{ id: string }>('select id from voip_users where email = $1', [DEMO.email]);
    expect(row.answered_by).toBe(rows[0]!.id);

    await clickBarButton(crm, 'Hang up');
    expect(await incoming.done).toBe('answered');
    await expect.poll(async () => (await callRow(incoming.callSid))?.status, { timeout: WAIT_MS }).toBe('completed');
    expect(world.cloud.received('hangup').some((m) => m.payload.callsid === leg.sid)).toBe(true);
    console.log(`twilio-inbound: the call bar rang ${rangAfter} ms after the call reached the stand-in (Voice URL, TwiML, invite, SDK, worker, bar)`);
  }, 90_000);

  it('declined on the Device: the SDK rejects it, the caller leaves a voicemail, and the call is recorded missed with its recording', async () => {
    const incoming = world.cloud.placeIncomingCall('+14155550178', LINE);
    await waitForBar(crm, /Incoming call/, 15_000);
    await new Promise((r) => setTimeout(r, PERSON_PAUSE_MS));
    await clickBarButton(crm, 'Decline');
    expect(await incoming.done).toBe('voicemail');
    expect(world.cloud.received('reject').some((m) => m.payload.callsid === incoming.legs[0]!.sid)).toBe(true);
    await expect.poll(async () => (await callRow(incoming.callSid))?.recording_sid ?? null, { timeout: WAIT_MS }).toMatch(/^RE/);
    expect((await callRow(incoming.callSid))?.status).toBe('no-answer');
    // The agent's history plays it: the backend fetches it from Twilio with the account's key, and streams it.
    const { rows } = await world.backend.db.query<{ id: string }>('select id from calls where twilio_call_sid = $1', [incoming.callSid]);
    const login = (await (await fetch(`${world.backend.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO) })).json()) as { accessToken: string };
    const audio = await fetch(`${world.backend.url}/api/calls/${rows[0]!.id}/recording`, { headers: { authorization: `Bearer ${login.accessToken}` } });
    expect(audio.status).toBe(200);
    expect(Buffer.from(await audio.arrayBuffer()).subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(await barText(crm)).not.toMatch(/Incoming call|In call/);
    // The agent is told of the missed call (its notification, as Chrome keeps it).
    const told = await poll(async () => (await notificationsOf(browser)).includes(`missed-${rows[0]!.id}`), 20_000);
    expect(told, 'the missed call raised no notification').toBe(true);
  }, 90_000);

  it("recognises a caller the team called before: the backend's <Parameter>s reach the bar through the SDK's invite", async () => {
    const { rows } = await world.backend.db.query<{ id: string }>('select id from voip_users where email = $1', [DEMO.email]);
    const earlier = `CA${'d'.repeat(32)}`;
    await world.backend.deps.store.placeOutboundCall({
      agentId: rows[0]!.id, twilioCallSid: earlier, fromNumber: LINE, toNumber: '+14155550134', contactName: 'Grace Hall',
      pageUrl: `${world.pages.url}/crm.html`, pageTitle: 'Acme CRM — Grace Hall', refusal: null,
      rateLimit: { calls: 100, since: new Date(0) }, limitMessages: { agentBusy: 'busy', rateLimited: 'limited' }, createdAt: new Date(),
    });
    await world.backend.db.query(`update calls set status = 'completed', ended_at = now() where twilio_call_sid = $1`, [earlier]);
    const incoming = world.cloud.placeIncomingCall('+14155550134', LINE);
    const bar = await waitForBar(crm, /Incoming call/, 15_000);
    expect(bar).toMatch(/Grace Hall/);
    expect(bar).toMatch(/Open Acme CRM — Grace Hall/);
    await new Promise((r) => setTimeout(r, PERSON_PAUSE_MS));
    await clickBarButton(crm, 'Decline');
    expect(await incoming.done).toBe('voicemail');
  }, 90_000);

  it('rings nobody who chose Do not disturb: with nobody else available the caller goes to voicemail, and no Device gets an invite', async () => {
    await world.backend.db.query(`update voip_users set presence = 'dnd' where email = $1`, [DEMO.email]);
    try {
      const invites = world.cloud.messages.filter((m) => m.type === 'invite' && m.direction === 'out').length;
      const incoming = world.cloud.placeIncomingCall('+14155550182', LINE);
      expect(await incoming.done).toBe('voicemail');
      expect(incoming.legs).toEqual([]);
      expect(world.cloud.messages.filter((m) => m.type === 'invite' && m.direction === 'out')).toHaveLength(invites);
      await expect.poll(async () => (await callRow(incoming.callSid))?.status, { timeout: WAIT_MS }).toBe('no-answer');
      expect(await barText(crm)).not.toMatch(/Incoming call/);
    } finally {
      await world.backend.db.query(`update voip_users set presence = 'available' where email = $1`, [DEMO.email]);
    }
  }, 90_000);

  it('still rings after the signalling connection dropped: the Device registers again by itself', async () => {
    const registers = world.cloud.received('register').length;
    const registeredUntil = async () =>
      (await world.backend.db.query<{ until: Date | null }>('select softphone_registered_until as until from voip_users where email = $1', [DEMO.email])).rows[0]?.until?.getTime() ?? null;
    const before = await registeredUntil();
    world.cloud.dropSockets();
    await world.cloud.waitFor(() => world.cloud.received('register').length > registers && world.cloud.openSockets > 0, 'the Device to register again', 30_000);
    // And the backend heard of it (after the unregistration the drop caused): a new registration, later than the old one.
    const renewed = await poll(async () => {
      const until = await registeredUntil();
      return until !== null && before !== null && until > before;
    });
    expect(renewed, 'the backend never heard that the Device registered again').toBe(true);
    const incoming = world.cloud.placeIncomingCall('+14155550181', LINE);
    await waitForBar(crm, /Incoming call/, 15_000);
    await new Promise((r) => setTimeout(r, PERSON_PAUSE_MS));
    await clickBarButton(crm, 'Decline');
    expect(await incoming.done).toBe('voicemail');
  }, 90_000);

  it('rings two agents\' Devices at once; the first to answer gets the call, Twilio cancels the other\'s at once, the other sees them On a call, and the wrap-up follows', async () => {
    const mate = await agentOnCrm(TEAMMATE);
    try {
      const incoming = world.cloud.placeIncomingCall('+14155550179', LINE);
      await waitForBar(crm, /Incoming call/, 15_000);
      await waitForBar(mate.page, /Incoming call/, 15_000);
      expect(incoming.legs).toHaveLength(2);
      await new Promise((r) => setTimeout(r, PERSON_PAUSE_MS));
      await clickBarButton(mate.page, 'Answer');
      await waitForBar(mate.page, /In call/);
      expect(await poll(async () => !/Incoming call/.test(await barText(crm)), 5_000)).toBe(true);
      const demoLeg = incoming.legs.find((l) => l.sid !== incoming.legs.find((m) => m.state === 'answered')?.sid)!;
      expect(world.cloud.messages.some((m) => m.direction === 'out' && m.type === 'cancel' && m.payload.callsid === demoLeg.sid)).toBe(true);
      const { rows } = await world.backend.db.query<{ id: string }>('select id from voip_users where email = $1', [TEAMMATE.email]);
      await expect.poll(async () => (await callRow(incoming.callSid))?.answered_by ?? null, { timeout: WAIT_MS }).toBe(rows[0]!.id);
      // The other agent sees their teammate On a call.
      const popup = await browser.openPopup(crm);
      await popup.getByText(/On a call/).waitFor({ timeout: WAIT_MS });
      await popup.close();
      await crm.bringToFront();
      await clickBarButton(mate.page, 'Hang up');
      expect(await incoming.done).toBe('answered');
      // And the wrap-up follows on the Device that took the call.
      await waitForBar(mate.page, /Wrap up this call/);
      await clickBarButton(mate.page, 'Save wrap-up');
      await waitForBar(mate.page, /Wrap-up saved/);
    } finally {
      await mate.browser.close();
    }
  }, 90_000);

  it("calls from the number the agent chose in Call from, sent through the SDK's params, and refuses a forged one a modified softphone sends", async () => {
    const org = (await world.backend.deps.store.findOrganization('Demo'))!;
    await world.backend.deps.store.addPhoneNumber({ organizationId: org.id, e164: '+12125550871', label: 'New York', isDefault: false, twilioSid: null });
    const popup = await browser.openPopup();
    await popup.getByRole('region', { name: 'Call from' }).getByRole('combobox').selectOption('+12125550871');
    await popup.getByLabel('Number to call').fill('(415) 555-0191');
    const next = world.cloud.nextCall();
    await popup.getByRole('button', { name: 'Call', exact: true }).click();
    const call = await next;
    // The choice travelled as the Device's custom parameter, and the Voice URL used it as <Dial callerId>.
    expect(call.params.callFrom).toBe('+12125550871');
    const placed = await poll(async () => {
      const { rows } = await world.backend.db.query<{ from_number: string }>('select from_number from calls where twilio_call_sid = $1', [call.callSid]);
      return rows[0] ?? null;
    });
    expect(placed).toEqual({ from_number: '+12125550871' });
    await popup.getByRole('button', { name: /Hang up/ }).click();
    await call.done;
    await popup.close();

    // A modified softphone: the real SDK in a plain page, with the agent's own Voice token, asking for a number that is
    // not the organization's. Twilio would place it; the backend refuses it and records why.
    const sdk = await readFile(new URL('../../node_modules/@twilio/voice-sdk/dist/twilio.min.js', import.meta.url), 'utf8');
    const plain = await launchPlainChromium(twilioBrowserArgs(world.cloud));
    try {
      const page = await plain.newPage();
      await page.goto(`${world.pages.url}/crm.html`);
      await page.addScriptTag({ content: sdk });
      const login = (await (await fetch(`${world.backend.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO) })).json()) as { accessToken: string };
      const { token } = (await (await fetch(`${world.backend.url}/api/twilio/token`, { method: 'POST', headers: { authorization: `Bearer ${login.accessToken}`, 'content-type': 'application/json' }, body: '{}' })).json()) as { token: string };
      const forged = world.cloud.nextCall();
      const ended = page.evaluate(async (token) => {
        type SdkCall = { on(e: string, f: () => void): void };
        const Twilio = (window as unknown as { Twilio: { Device: new (t: string, o: object) => { connect(o: object): Promise<SdkCall>; destroy(): void } } }).Twilio;
        const device = new Twilio.Device(token, { closeProtection: false });
        const sdkCall = await device.connect({ params: { To: '+14155550192', callFrom: '+19995550000' } });
        await new Promise<void>((resolve) => sdkCall.on('disconnect', resolve));
        device.destroy();
        return 'disconnected';
      }, token);
      const refusedCall = await forged;
      expect(refusedCall.params.callFrom).toBe('+19995550000');
      expect(await ended).toBe('disconnected');
      const { rows } = await world.backend.db.query<{ status: string; error_code: string | null; from_number: string | null }>('select status, error_code, from_number from calls where twilio_call_sid = $1', [refusedCall.callSid]);
      expect(rows[0]).toMatchObject({ status: 'failed', error_code: 'caller-id-not-allowed' });
      expect(rows[0]!.from_number).not.toBe('+19995550000');
    } finally {
      await plain.close();
    }
  }, 90_000);
});
