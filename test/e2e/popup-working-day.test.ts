// The popup through an agent's working day, in Chromium at 360 px: no sideways scroll in any state, Call next through
// three numbers of a page, Mine/Team history, a status change a teammate sees live, the keyboard alone, and readable
// contrast in the light and the dark theme.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { placeCall } from '../support/backend/place-call.js';
import { browserAvailable, currentCall, DEMO, screenshot, signIn, TEAMMATE, useE2eWorld, waitForText, WAIT_MS, type ExtensionBrowser } from './harness.js';

/** Whether the page scrolls sideways (content wider than the window). */
const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/**
 * Every visible text's colour against the background it is drawn on (the first opaque one up the tree, the page's
 * otherwise), as WCAG 2 contrast ratios; the ones below 4.5:1 with what they say.
 */
function lowContrast(page: Page): Promise<{ bad: string[]; checked: number }> {
  return page.evaluate(() => {
    const parse = (c: string): [number, number, number, number] | null => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return null;
      const p = m[1]!.split(/[\s,/]+/).filter(Boolean).map(Number);
      return [p[0]!, p[1]!, p[2]!, p.length > 3 ? p[3]! : 1];
    };
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    const backgroundOf = (el: Element | null): number[] => {
      for (; el; el = el.parentElement) {
        const bg = parse(getComputedStyle(el).backgroundColor);
        if (bg && bg[3] >= 0.99) return bg;
      }
      return parse(getComputedStyle(document.documentElement).backgroundColor) ?? [255, 255, 255, 1];
    };
    const bad: string[] = [];
    let checked = 0;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !/\S/.test(n.textContent ?? '') || el.closest('[hidden], .visually-hidden, option')) continue;
      const style = getComputedStyle(el);
      if (style.visibility !== 'visible' || el.getClientRects().length === 0) continue;
      // Disabled controls are exempt from WCAG's contrast rule.
      if (el.closest('button:disabled, input:disabled, select:disabled')) continue;
      const fg = parse(style.color);
      if (!fg) continue;
      const bg = backgroundOf(el);
      // A translucent text colour is blended over its background first.
      const a = fg[3];
      const mixed = [0, 1, 2].map((i) => fg[i]! * a + bg[i]! * (1 - a));
      const [l1, l2] = [lum(mixed), lum(bg)].sort((x, y) => y - x);
      const ratio = (l1! + 0.05) / (l2! + 0.05);
      checked++;
      if (ratio < 4.5) bad.push(`${ratio.toFixed(2)}:1 "${n.textContent!.trim().slice(0, 30)}" (${style.color} on rgb(${bg.slice(0, 3).join(',')}))`);
    }
    return { bad, checked };
  });
}

describe.skipIf(!browserAvailable)('in Chromium: the popup for a working day', () => {
  const world = useE2eWorld();
  let agent: ExtensionBrowser;
  let teammate: ExtensionBrowser;
  let crm: Page;
  let popup: Page;

  beforeAll(async () => {
    [agent, teammate] = await Promise.all([world.launch(), world.launch()]);
    crm = await agent.context.newPage();
    await crm.goto(`${world.pages.url}/crm.html`);
  });

  it('signs in with the keyboard alone, lands in the number field, and never scrolls sideways, signed out or in', async () => {
    popup = await agent.openPopup(crm);
    expect(await sideways(popup)).toBeLessThanOrEqual(0);
    await screenshot(popup, 'popup-signed-out');
    // Tab to the email field from the top of the page, type, Tab, type, Enter.
    await popup.keyboard.press('Tab');
    await popup.keyboard.type(DEMO.email);
    await popup.keyboard.press('Tab');
    await popup.keyboard.type(DEMO.password);
    await popup.keyboard.press('Enter');
    await popup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
    await popup.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Number to call', null, { timeout: WAIT_MS });
    await popup.getByRole('list', { name: 'Numbers on this page' }).getByRole('listitem').nth(2).waitFor({ timeout: WAIT_MS });
    expect(await sideways(popup)).toBeLessThanOrEqual(0);
    expect(await popup.getByRole('heading', { name: 'On this page' }).textContent()).toContain('On this page');
    await screenshot(popup, 'popup-working-idle');
  });

  it('Call next goes through three numbers of the page, each only when asked after the last one ended, with the names the chip sends', async () => {
    const list = popup.getByRole('list', { name: 'Numbers on this page' });
    expect(await list.textContent()).toContain('Maria Lopez');
    const call = currentCall(popup);
    for (const [name, ending] of [['Maria Lopez', /^Call ended: completed$/], ['Sam Carter', /^Call ended: busy$/], ['Grace Hall', /^Call ended: completed$/]] as const) {
      await popup.getByRole('button', { name: `Call next: ${name}` }).click();
      if (ending.source.includes('busy')) await waitForText(call.status, ending);
      else {
        await waitForText(call.status, /^In call \d+:\d\d$/);
        expect(await call.region.textContent()).toContain(name);
        expect(await sideways(popup)).toBeLessThanOrEqual(0);
        if (name === 'Maria Lopez') {
          await call.region.getByRole('button', { name: 'Keypad' }).click();
          await screenshot(popup, 'popup-working-in-call');
          expect(await sideways(popup)).toBeLessThanOrEqual(0);
        }
        // Keyboard: focus the Hang up button and press Enter; focus comes back to the number field, not the body.
        await call.region.getByRole('button', { name: 'Hang up' }).focus();
        await popup.keyboard.press('Enter');
        await waitForText(call.status, ending);
        await popup.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Number to call', null, { timeout: WAIT_MS });
      }
    }
    expect(await popup.getByRole('button', { name: /^Call next/ }).count()).toBe(0);
    const calls = (await world.backend.db.query<{ to_number: string; contact_name: string }>('select to_number, contact_name from calls order by created_at')).rows;
    expect(calls.map((c) => [c.to_number, c.contact_name])).toEqual([
      ['+14155550142', 'Maria Lopez'],
      ['+12125550000', 'Sam Carter'],
      ['+16465550149', 'Grace Hall'],
    ]);
    await screenshot(popup, 'popup-working-after-call-next');
  });

  it("history: Mine shows the agent's calls; Team shows a teammate's too, with who placed it", async () => {
    const mate = (await world.backend.db.query<{ id: string; organization_id: string }>('select id, organization_id from voip_users where email = $1', [TEAMMATE.email])).rows[0]!;
    await placeCall(world.backend.deps.store, mate, {
      twilioCallSid: `CA${'e'.repeat(32)}`, fromNumber: 'client:mate', toNumber: '+13125550188', contactName: 'Teammate lead',
      refusal: { code: 'no-answer', message: 'Nobody answered.' },
    });
    await popup.reload();
    const history = popup.getByRole('list', { name: 'Call history' });
    await history.getByRole('listitem', { name: 'Grace Hall, Completed' }).waitFor({ timeout: WAIT_MS });
    expect(await history.getByRole('listitem', { name: /Teammate lead/ }).count()).toBe(0);
    await popup.getByRole('group', { name: 'Whose calls' }).getByRole('button', { name: 'Team' }).click();
    const row = history.getByRole('listitem', { name: /Teammate lead/ });
    await row.waitFor({ timeout: WAIT_MS });
    expect(await row.textContent()).toContain('placed by Tess Mate');
    expect(await row.textContent()).toMatch(/Today \d\d:\d\d/);
    expect(await sideways(popup)).toBeLessThanOrEqual(0);
    await screenshot(popup, 'popup-working-history-team');
  });

  it('a status the agent chooses is seen live by a teammate; a teammate who never signed in is Offline', async () => {
    const mateGroup = popup.getByRole('list', { name: 'Teammates' });
    await waitForText(mateGroup, /Tess Mate.*Offline/);
    const matePopup = await teammate.openPopup();
    await signIn(matePopup, TEAMMATE);
    await matePopup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
    const demoSeen = matePopup.getByRole('list', { name: 'Teammates' }).getByRole('listitem').filter({ hasText: DEMO.name });
    await waitForText(demoSeen, /Available$/);
    await popup.getByRole('combobox', { name: 'Your status' }).selectOption('dnd');
    await waitForText(demoSeen, /Do not disturb$/);
    await popup.getByRole('combobox', { name: 'Your status' }).selectOption('away');
    await waitForText(demoSeen, /Away$/);
    await waitForText(mateGroup, /Tess Mate.*Available/);
    await screenshot(matePopup, 'popup-teammate-sees-away');
    // Do not disturb keeps the agent's own Call working.
    await popup.getByRole('combobox', { name: 'Your status' }).selectOption('dnd');
    await waitForText(demoSeen, /Do not disturb$/);
    await popup.getByRole('textbox', { name: 'Number to call' }).fill('(415) 555-0199');
    await popup.keyboard.press('Enter');
    const call = currentCall(popup);
    await waitForText(call.status, /^In call \d+:\d\d$/);
    await call.region.getByRole('button', { name: 'Hang up' }).click();
    await waitForText(call.status, /^Call ended: completed$/);
    await matePopup.close();
  });

  it('every text is readable (WCAG AA, 4.5:1) in the light and the dark theme', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await popup.emulateMedia({ colorScheme: scheme });
      await popup.getByRole('list', { name: 'Call history' }).waitFor({ timeout: WAIT_MS });
      const inPopup = await lowContrast(popup);
      expect(inPopup.bad, scheme).toEqual([]);
      expect(inPopup.checked).toBeGreaterThan(30);
      await screenshot(popup, `popup-working-${scheme}`);
      const options = await agent.context.newPage();
      await options.emulateMedia({ colorScheme: scheme });
      await options.goto(`chrome-extension://${agent.extensionId}/extension/options/index.html`);
      await options.getByRole('button', { name: /save/i }).first().waitFor({ timeout: WAIT_MS });
      const inOptions = await lowContrast(options);
      expect(inOptions.bad, `options, ${scheme}`).toEqual([]);
      expect(inOptions.checked).toBeGreaterThan(5);
      await options.close();
    }
  });
});
