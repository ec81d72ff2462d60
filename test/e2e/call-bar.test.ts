// The in-page call bar: the live call where the agent is looking, through every outcome, across tabs, with its buttons.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { barBox, browserAvailable, clickBarButton, clickToCall, hoverUntilButtonNamed, poll, screenshot, waitForBar, useE2eWorld, type ExtensionBrowser } from './harness.js';

describe.skipIf(!browserAvailable)('in Chromium: the in-page call bar', () => {
  const world = useE2eWorld();
  let browser: ExtensionBrowser;
  let crm: Page;

  beforeAll(async () => {
    browser = await world.launchSignedIn();
    crm = await browser.context.newPage();
    await crm.goto(`${world.pages.url}/crm.html`);
  });

  it('shows the call on the page: who, the number, ringing, in call with its timer; mute and hang up work from it', async () => {
    await clickToCall(crm, '(415) 555-0142');
    await waitForBar(crm, /Maria Lopez.*\(415\) 555-0142/);
    await waitForBar(crm, /In call 0:0[1-9]/);
    await screenshot(crm, 'call-bar-in-call');
    await clickBarButton(crm, 'Mute');
    await waitForBar(crm, /Unmute/);
    // The keypad: keys clicked, and keys typed while it has the focus, reach the far end as tones.
    await clickBarButton(crm, 'Keypad');
    await clickBarButton(crm, '4');
    await clickBarButton(crm, '#');
    await crm.keyboard.press('2');
    await waitForBar(crm, /4#2/);
    const { rows } = await world.backend.db.query<{ sid: string; agent: string }>('select twilio_call_sid as sid, assigned_to as agent from calls order by created_at desc limit 1');
    await poll(async () => world.backend.sim().get(rows[0]!.agent, rows[0]!.sid).digits === '4#2');
    expect(world.backend.sim().get(rows[0]!.agent, rows[0]!.sid).digits).toBe('4#2');
    await screenshot(crm, 'call-bar-keypad');
    await clickBarButton(crm, 'Hang up');
    await waitForBar(crm, /Call ended/);
    await screenshot(crm, 'call-bar-ended');
    // It goes a few seconds after the end.
    await waitForBar(crm, /^$/, 12_000);
  });

  it('never sits on the number the call came from: a number in the bar\'s corner sends it to another corner', async () => {
    const corner = await browser.context.newPage();
    await corner.goto(`${world.pages.url}/corner-number.html`);
    await clickToCall(corner, '(415) 555-0177');
    await waitForBar(corner, /In call/);
    const bar = (await barBox(corner))!;
    const number = (await corner.locator('#number').boundingBox())!;
    const overlaps = bar.x < number.x + number.width && number.x < bar.x + bar.width && bar.y < number.y + number.height && number.y < bar.y + bar.height;
    await screenshot(corner, 'call-bar-off-the-number');
    expect(overlaps, `bar ${JSON.stringify(bar)} covers the number ${JSON.stringify(number)}`).toBe(false);
    // Near where the call was started: beside, just above or just below the number.
    const gap = Math.max(number.y - (bar.y + bar.height), bar.y - (number.y + number.height), number.x - (bar.x + bar.width), bar.x - (number.x + number.width));
    expect(gap, `bar ${JSON.stringify(bar)} is far from the number ${JSON.stringify(number)}`).toBeLessThanOrEqual(24);
    await clickBarButton(corner, 'Hang up');
    await waitForBar(corner, /Call ended/);
    await corner.close();
  });

  it('leaves the page\'s other numbers clear: the next number is clicked and called while the last call\'s bar is still up', async () => {
    await crm.bringToFront();
    await clickToCall(crm, '(415) 555-0142');
    await waitForBar(crm, /In call/);
    const bar = (await barBox(crm))!;
    const others = await crm.evaluate((texts) => {
      const boxes: { x: number; y: number; width: number; height: number }[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const text of texts) {
          const at = node.textContent!.indexOf(text);
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + text.length);
          const r = range.getBoundingClientRect();
          boxes.push({ x: r.x, y: r.y, width: r.width, height: r.height });
        }
      }
      return boxes;
    }, ['(212) 555-0000', '(646) 555-0149']);
    expect(others.length).toBeGreaterThan(0);
    await screenshot(crm, 'call-bar-beside-the-number');
    for (const n of others) {
      const overlaps = bar.x < n.x + n.width && n.x < bar.x + bar.width && bar.y < n.y + n.height && n.y < bar.y + bar.height;
      expect(overlaps, `bar ${JSON.stringify(bar)} covers another number ${JSON.stringify(n)}`).toBe(false);
    }
    await clickBarButton(crm, 'Hang up');
    await waitForBar(crm, /Call ended/);
    const before = (await world.backend.db.query<{ n: number }>(`select count(*)::int as n from calls where to_number = '+16465550149'`)).rows[0]!.n;
    await clickToCall(crm, '(646) 555-0149');
    await waitForBar(crm, /\(646\) 555-0149.*In call/);
    expect(await poll(async () => (await world.backend.db.query<{ n: number }>(`select count(*)::int as n from calls where to_number = '+16465550149'`)).rows[0]!.n > before)).toBe(true);
    await clickBarButton(crm, 'Hang up');
    await waitForBar(crm, /Call ended/);
    await waitForBar(crm, /^$/, 12_000);
  });

  it('says busy, no answer and failed in the bar, each as such; a refused number says so on its chip before any click', async () => {
    await crm.bringToFront();
    await clickToCall(crm, '(212) 555-0000');
    await waitForBar(crm, /Sam Carter.*Busy/);
    await screenshot(crm, 'call-bar-busy');
    await waitForBar(crm, /^$/, 12_000);

    const leads = await browser.context.newPage();
    await leads.goto(`${world.pages.url}/outcomes.html`);
    for (const [number, words, shot] of [
      ['(415) 555-0001', /No answer/, 'no-answer'],
      ['(415) 555-0002', /Failed/, 'failed'],
    ] as const) {
      await clickToCall(leads, number);
      await waitForBar(leads, words, 15_000);
      await screenshot(leads, `call-bar-${shot}`);
      await waitForBar(leads, /^$/, 12_000);
    }
    // A premium-rate number is refused before any click: its chip says why (refused-destinations.test.ts) and no bar opens.
    await hoverUntilButtonNamed(leads, '+1 (900) 555-0199', 'This number is a premium-rate number: calls to it are not allowed for your team.');
    await screenshot(leads, 'call-bar-refused');
    await leads.close();
  }, 90_000);

  it('follows the agent to another tab, and says so in the bar when a second number is clicked during a call', async () => {
    await clickToCall(crm, '(646) 555-0149');
    await waitForBar(crm, /In call/);
    const other = await browser.context.newPage();
    await other.goto(`${world.pages.url}/crm.html`);
    await other.bringToFront();
    await waitForBar(other, /Grace Hall.*In call/);
    await clickToCall(other, '(415) 555-0142');
    await waitForBar(other, /already in progress/);
    await screenshot(other, 'call-bar-second-dial');
    await clickBarButton(other, 'Hang up');
    await waitForBar(other, /Call ended/);
    await other.close();
  });
});
