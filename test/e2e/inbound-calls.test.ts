// Inbound calls in the browser (simulated mode), with two agents each in their own Chromium: both ring in the call bar,
// one answers (the other stops ringing, teammates see On a call), hang up; nobody available or both decline → voicemail,
// playable in history; a Do-not-disturb agent is not rung; a known caller shows with a link to their page.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Call } from '../../shared/api.js';
import { ADMIN_CLI_ORGANIZATION_HEADER, ADMIN_CLI_TOKEN_HEADER } from '../../backend/admin/admin-cli-token.js';
import { browserAvailable, clickBarButton, contentScriptWorld, DEMO, notificationsOf, PERSON_PAUSE_MS, poll, signIn, TEAMMATE, useE2eWorld, waitForBar, barText, type ExtensionBrowser } from './harness.js';

const LINE = '+14155550860';

describe.skipIf(!browserAvailable)('inbound calls (simulated Twilio)', () => {
  const world = useE2eWorld();

  async function agentBrowser(who: { email: string; password: string }): Promise<{ browser: ExtensionBrowser; page: Page }> {
    // A browser of an earlier test may have left its registration behind; this one must make its own.
    await world.backend.db.query('update voip_users set softphone_registered_until = null where email = $1', [who.email]);
    const browser = await world.launch();
    const popup = await browser.openPopup();
    await signIn(popup, who);
    await popup.getByText('Ready to call').waitFor({ timeout: 15_000 });
    await popup.close();
    // Ringable once the softphone's registration for incoming calls reached the backend (it follows "Ready" closely).
    const registered = await poll(async () => {
      const { rows } = await world.backend.db.query<{ ok: boolean }>('select softphone_registered_until > now() as ok from voip_users where email = $1', [who.email]);
      return rows[0]?.ok === true;
    });
    expect(registered, `${who.email}'s softphone never registered for incoming calls`).toBe(true);
    const page = await browser.context.newPage();
    await page.goto(`${world.pages.url}/crm.html`);
    await page.bringToFront();
    return { browser, page };
  }

  // The team's line the calls come in on, added once whichever test runs first.
  let line: Promise<unknown> | null = null;
  const ensureLine = () =>
    (line ??= (async () => {
      const org = (await world.backend.deps.store.findOrganization('Demo'))!;
      await world.backend.deps.store.addPhoneNumber({ organizationId: org.id, e164: LINE, label: 'Main', isDefault: true, twilioSid: null });
    })());

  async function placeIncoming(from: string): Promise<string> {
    await ensureLine();
    const res = await fetch(`${world.backend.url}/api/sim/incoming`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [ADMIN_CLI_TOKEN_HEADER]: world.backend.deps.adminCliToken!, [ADMIN_CLI_ORGANIZATION_HEADER]: 'Demo' },
      body: JSON.stringify({ from }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { callSid: string }).callSid;
  }

  const callOf = (sid: string) => poll(() => world.backend.deps.store.findCallBySid(sid));
  const until = (sid: string, check: (c: Call) => boolean, timeout = 20_000) =>
    poll(async () => {
      const c = await world.backend.deps.store.findCallBySid(sid);
      return c && check(c) ? c : null;
    }, timeout);
  const presence = (email: string, value: 'available' | 'away' | 'dnd') => world.backend.db.query('update public.voip_users set presence = $2 where email = $1', [email, value]);

  it('rings both agents; the first to answer gets the call, the other stops ringing, teammates see On a call, and the wrap-up follows', async () => {
    const demo = await agentBrowser(DEMO);
    const mate = await agentBrowser(TEAMMATE);

    const sid = await placeIncoming('+14155550177');
    await waitForBar(demo.page, /Incoming call/);
    const ringing = await waitForBar(mate.page, /Incoming call/);
    expect(ringing).toMatch(/\(415\) 555-0177/);
    expect(ringing).toMatch(/United States/);
    await new Promise((r) => setTimeout(r, PERSON_PAUSE_MS));
    await clickBarButton(mate.page, 'Answer');
    await waitForBar(mate.page, /In call/);
    // The other agent stops ringing at once.
    expect(await poll(async () => !/Incoming call/.test(await barText(demo.page)), 5_000)).toBe(true);
    const answered = await until(sid, (c) => c.status === 'in-progress');
    expect(answered?.answeredBy).toBeTruthy();

    const popup = await demo.browser.openPopup();
    await popup.getByText(/On a call/).waitFor({ timeout: 10_000 });
    await popup.close();

    await clickBarButton(mate.page, 'Hang up');
    expect(await until(sid, (c) => c.status === 'completed')).toBeTruthy();
    // The wrap-up follows, as after an outbound call, and is saved on the call the caller made.
    await waitForBar(mate.page, /Wrap up this call/);
    await clickBarButton(mate.page, 'Save wrap-up');
    await waitForBar(mate.page, /Wrap-up saved/);
    const { rows } = await world.backend.db.query<{ n: number }>('select count(*)::int as n from call_wrapups w join calls c on c.id = w.call_id where c.twilio_call_sid = $1', [sid]);
    expect(rows[0]!.n).toBe(1);
    await demo.browser.close();
    await mate.browser.close();
  }, 120_000);

  it('takes a voicemail when nobody is available or both decline; history plays it and says Missed', async () => {
    const demo = await agentBrowser(DEMO);
    const mate = await agentBrowser(TEAMMATE);
    await presence(DEMO.email, 'away');
    await presence(TEAMMATE.email, 'away');
    try {
      const sid = await placeIncoming('+14155550178');
      const missed = await until(sid, (c) => Boolean(c.voicemail));
      expect(missed).toMatchObject({ status: 'no-answer', voicemail: { seconds: 2 } });
      expect(await barText(demo.page)).not.toMatch(/Incoming call/);
      // Nobody was rung, yet both agents are told of the missed call, from the history at the worker's minute alarm.
      for (const agent of [demo, mate]) {
        const told = await poll(async () => (await notificationsOf(agent.browser)).includes(`missed-${missed!.id}`), 90_000);
        expect(told, 'a missed call nobody was rung for raised no notification').toBe(true);
      }
    } finally {
      await presence(DEMO.email, 'available');
      await presence(TEAMMATE.email, 'available');
    }

    const sid = await placeIncoming('+14155550179');
    await waitForBar(demo.page, /Incoming call/);
    await waitForBar(mate.page, /Incoming call/);
    await clickBarButton(demo.page, 'Decline');
    await clickBarButton(mate.page, 'Decline');
    expect(await until(sid, (c) => Boolean(c.voicemail))).toMatchObject({ status: 'no-answer' });

    const popup = await demo.browser.openPopup();
    const row = popup.getByRole('listitem', { name: /\(415\) 555-0179|\+14155550179/ }).first();
    await row.getByText('Missed').waitFor({ timeout: 10_000 });
    await row.getByRole('button', { name: /Call back/ }).waitFor();
    await row.getByRole('button', { name: 'Play voicemail' }).click();
    const audio = row.getByLabel('Voicemail');
    await audio.waitFor({ timeout: 10_000 });
    // The recording's length, once the element has read it (polled: the metadata may load before a listener is added).
    const duration = await poll(async () => {
      const d = await audio.evaluate((a: HTMLAudioElement) => (a.readyState >= 1 ? a.duration : null));
      return d === null ? null : d;
    }, 15_000);
    expect(duration).toBeGreaterThan(1.5);
    await popup.close();
    await demo.browser.close();
    await mate.browser.close();
  }, 120_000);

  it('a call that rang unanswered until the caller gave up raises a Missed call notification, and history offers Call back', async () => {
    const demo = await agentBrowser(DEMO);
    const sid = await placeIncoming('+14155550174');
    await waitForBar(demo.page, /Incoming call/);
    // Nobody answers: the ring times out, the caller is offered voicemail and hangs up.
    const missed = await until(sid, (c) => c.status === 'no-answer', 60_000);
    expect(missed).toBeTruthy();
    const told = await poll(async () => (await notificationsOf(demo.browser)).includes(`missed-${missed!.id}`), 20_000);
    expect(told, 'the missed call raised no notification').toBe(true);
    const popup = await demo.browser.openPopup();
    const row = popup.getByRole('listitem', { name: /\(415\) 555-0174|\+14155550174/ }).first();
    await row.getByText('Missed').waitFor({ timeout: 10_000 });
    await row.getByRole('button', { name: /Call back/ }).waitFor();
    await popup.close();
    await demo.browser.close();
  }, 120_000);

  it('a page in a background tab cannot answer, decline or hang up the call, even driving the content script as a compromised renderer would', async () => {
    const demo = await agentBrowser(DEMO);
    // The attacker's page opens in another tab; the agent's CRM stays in front.
    const hostile = await demo.browser.context.newPage();
    await hostile.goto(`${world.pages.url}/crm.html?attacker`);
    await demo.page.bringToFront();
    const attacker = await contentScriptWorld(hostile);
    const sid = await placeIncoming('+14155550183');
    await waitForBar(demo.page, /Incoming call/);

    const answered = await attacker.run(`chrome.runtime.sendMessage({ type: 'c2c:bar:answer', callSid: ${JSON.stringify(sid)} })`);
    expect(answered).toMatchObject({ ok: false });
    const declined = await attacker.run(`chrome.runtime.sendMessage({ type: 'c2c:bar:decline', callSid: ${JSON.stringify(sid)} })`);
    expect(declined).toMatchObject({ ok: false });
    // Still ringing for the agent, and nobody answered it: the microphone never opened for the caller.
    expect(await barText(demo.page)).toMatch(/Incoming call/);
    expect((await callOf(sid))?.answeredBy ?? null).toBeNull();

    // The agent answers in the tab in front; the background page cannot hang up, mute or press keys in that call either.
    await new Promise((r) => setTimeout(r, PERSON_PAUSE_MS));
    await clickBarButton(demo.page, 'Answer');
    await waitForBar(demo.page, /In call/);
    for (const message of [{ type: 'c2c:bar:hangup' }, { type: 'c2c:bar:mute', muted: true }, { type: 'c2c:bar:digit', digit: '9' }]) {
      expect(await attacker.run(`chrome.runtime.sendMessage(${JSON.stringify(message)})`)).toMatchObject({ ok: false });
    }
    expect(await barText(demo.page)).toMatch(/In call/);
    expect(await barText(demo.page)).not.toMatch(/Unmute/);
    expect((await callOf(sid))?.status).toBe('in-progress');
    await clickBarButton(demo.page, 'Hang up');
    expect(await until(sid, (c) => c.status === 'completed')).toBeTruthy();
    await attacker.detach();
    await demo.browser.close();
  }, 120_000);

  it('does not ring an agent who chose Do not disturb', async () => {
    const demo = await agentBrowser(DEMO);
    const mate = await agentBrowser(TEAMMATE);
    await presence(DEMO.email, 'dnd');
    try {
      const sid = await placeIncoming('+14155550181');
      await waitForBar(mate.page, /Incoming call/);
      const call = await callOf(sid);
      const demoId = (await world.backend.db.query<{ id: string }>('select id from voip_users where email = $1', [DEMO.email])).rows[0]!.id;
      const rung = (await world.backend.db.query<{ ids: string[] }>('select rung_agent_ids::text[] as ids from calls where id = $1', [call!.id])).rows[0]!.ids;
      expect(rung).not.toContain(demoId);
      expect(rung).toHaveLength(1);
      expect(await barText(demo.page)).not.toMatch(/Incoming call/);
      await clickBarButton(mate.page, 'Decline');
      await until(sid, (c) => c.status === 'no-answer');
    } finally {
      await presence(DEMO.email, 'available');
    }
    await demo.browser.close();
    await mate.browser.close();
  }, 120_000);

  it('recognises a caller the team called before, with a link to the page they were called from, opened on answer when the agent chose so', async () => {
    const mate = await agentBrowser(TEAMMATE);
    // A previous call to Grace Hall from the CRM page (recorded as the Voice URL records it).
    const { rows } = await world.backend.db.query<{ id: string }>('select id from voip_users where email = $1', [TEAMMATE.email]);
    await world.backend.deps.store.placeOutboundCall({
      agentId: rows[0]!.id, twilioCallSid: `CA${'c'.repeat(32)}`, fromNumber: LINE, toNumber: '+14155550134', contactName: 'Grace Hall',
      pageUrl: `${world.pages.url}/crm.html`, pageTitle: 'Acme CRM — Grace Hall', refusal: null,
      rateLimit: { calls: 100, since: new Date(0) }, limitMessages: { agentBusy: 'busy', rateLimited: 'limited' }, createdAt: new Date(),
    });
    await world.backend.db.query(`update calls set status = 'completed', ended_at = now() where twilio_call_sid = $1`, [`CA${'c'.repeat(32)}`]);
    const sid = await placeIncoming('+14155550134');
    const bar = await waitForBar(mate.page, /Incoming call/);
    expect(bar).toMatch(/Grace Hall/);
    expect(bar).toMatch(/Open Acme CRM — Grace Hall/);
    await clickBarButton(mate.page, 'Decline');
    await until(sid, (c) => c.status === 'no-answer');

    // With the screen pop turned on in the options, answering opens that page.
    await (await mate.browser.serviceWorker()).evaluate(async () => {
      const stored = (await chrome.storage.sync.get('c2c:options'))['c2c:options'] ?? {};
      await chrome.storage.sync.set({ 'c2c:options': { ...stored, openCallerPageOnAnswer: true } });
    });
    const again = await placeIncoming('+14155550134');
    await waitForBar(mate.page, /Incoming call/);
    const before = mate.browser.context.pages().length;
    await new Promise((r) => setTimeout(r, PERSON_PAUSE_MS));
    await clickBarButton(mate.page, 'Answer');
    const popped = await poll(async () => mate.browser.context.pages().slice(before).find((p) => p.url() === `${world.pages.url}/crm.html`) ?? null);
    expect(popped, 'answering did not open the caller page').toBeTruthy();
    // The call bar follows the agent to the page in front: the call goes on there.
    await waitForBar(popped!, /Grace Hall.*In call/);
    await clickBarButton(popped!, 'Hang up');
    await until(again, (c) => c.status === 'completed');
    await mate.browser.close();
  }, 120_000);

  it("uses the caller id the agent chose in Call from, and refuses a forged one", async () => {
    const org = (await world.backend.deps.store.findOrganization('Demo'))!;
    await world.backend.deps.store.addPhoneNumber({ organizationId: org.id, e164: '+12125550861', label: 'New York', isDefault: false, twilioSid: null });
    const demo = await agentBrowser(DEMO);
    const popup = await demo.browser.openPopup();
    const picker = popup.getByRole('region', { name: 'Call from' });
    await picker.getByRole('combobox').selectOption('+12125550861');
    await popup.getByLabel('Number to call').fill('(415) 555-0188');
    await popup.getByRole('button', { name: 'Call', exact: true }).click();
    const placed = await poll(async () => {
      const { rows } = await world.backend.db.query<{ from_number: string; status: string }>(`select from_number, status from calls where to_number = '+14155550188' order by created_at desc limit 1`);
      return rows[0] ?? null;
    });
    // The Voice URL put the chosen number in <Dial callerId> and recorded it.
    expect(placed).toMatchObject({ from_number: '+12125550861' });
    await popup.getByRole('button', { name: /Hang up/ }).click();
    await popup.close();

    // A softphone that sends another organization's (or nobody's) number is refused, and the call recorded as failed.
    const token = await (await fetch(`${world.backend.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO) })).json() as { accessToken: string };
    const forged = await fetch(`${world.backend.url}/api/sim/calls`, {
      method: 'POST', headers: { authorization: `Bearer ${token.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ To: '+14155550189', callFrom: '+19995550000' }),
    });
    expect(forged.status).toBe(201);
    const refused = await poll(async () => {
      const { rows } = await world.backend.db.query<{ status: string; error_code: string | null }>(`select status, error_code from calls where to_number = '+14155550189'`);
      return rows[0] ?? null;
    });
    expect(refused).toEqual({ status: 'failed', error_code: 'caller-id-not-allowed' });
    await demo.browser.close();
  }, 120_000);
});
