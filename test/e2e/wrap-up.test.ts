// After the call, in Chromium: the wrap-up saved from the in-page call bar, seen live in a teammate's history, edited
// by its author from history, and not by the teammate (no edit control, and a forged edit is refused by the backend);
// when required, the next dial (from the page or the popup's Call next) waits for it; history downloads as CSV.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, clickBarButton, clickToCall, currentCall, DEMO, poll, screenshot, signIn, TEAMMATE, useE2eWorld, waitForBar, waitForText, WAIT_MS, type ExtensionBrowser } from './harness.js';

/** Clicks a control of the call bar (in its closed shadow root) with the real mouse, found as a screen reader finds it. */
async function clickBarControl(page: Page, role: string, name: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodes } = await cdp.send('Accessibility.queryAXTree', { backendNodeId: root.backendNodeId, accessibleName: name, role });
    const node = nodes.find((n) => !n.ignored && n.backendDOMNodeId !== undefined);
    if (!node) throw new Error(`No ${role} "${name}" in the call bar`);
    const { model } = await cdp.send('DOM.getBoxModel', { backendNodeId: node.backendDOMNodeId! });
    const q = model.border;
    await page.mouse.click((q[0]! + q[4]!) / 2, (q[1]! + q[5]!) / 2);
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** RFC 4180 as csv-stringify writes it: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [[]];
  let field = '';
  let quoted = false;
  const endField = () => {
    rows.at(-1)!.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push([]);
      i++;
    } else field += ch;
  }
  if (field !== '' || rows.at(-1)!.length > 0) rows.at(-1)!.push(field);
  if (rows.at(-1)!.length === 0) rows.pop();
  const [header, ...data] = rows;
  return data.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

const historyRow = (popup: Page, who: string) => popup.getByRole('list', { name: 'Call history' }).getByRole('listitem', { name: new RegExp(`^${who}, `) }).first();

describe.skipIf(!browserAvailable)('in Chromium: wrap-up after the call', () => {
  const world = useE2eWorld();
  let agent: ExtensionBrowser;
  let teammate: ExtensionBrowser;
  let crm: Page;
  let teammatePopup: Page;

  beforeAll(async () => {
    agent = await world.launchSignedIn();
    teammate = await world.launch();
    teammatePopup = await teammate.openPopup();
    await signIn(teammatePopup, TEAMMATE);
    await teammatePopup.getByText('Ready to call').waitFor({ timeout: WAIT_MS });
    crm = await agent.context.newPage();
    await crm.goto(`${world.pages.url}/crm.html`);
  }, 60_000);

  it('is saved from the call bar, with the outcome the result points to, and shows at once in a teammate\'s history', async () => {
    await clickToCall(crm, '(212) 555-0000');
    await waitForBar(crm, /Sam Carter.*Busy.*Wrap up this call/);
    await clickBarControl(crm, 'textbox', 'Notes');
    await crm.keyboard.type('Line busy twice; the front desk says try after 3 pm.');
    await screenshot(crm, 'wrap-up-call-bar');
    await clickBarButton(crm, 'Save wrap-up');
    await waitForBar(crm, /Wrap-up saved/);
    await screenshot(crm, 'wrap-up-call-bar-saved');

    // The teammate's open popup updates from the live event: outcome, the start of the notes, who wrote it; no edit control.
    await teammatePopup.getByRole('group', { name: 'Whose calls' }).getByRole('button', { name: 'Team' }).click();
    const row = historyRow(teammatePopup, 'Sam Carter');
    await poll(async () => /Busy · Line busy twice; the front desk says try after 3 pm\..*Demo Agent/.test((await row.textContent()) ?? ''));
    expect(await row.textContent()).toMatch(/Busy · Line busy twice; the front desk says try after 3 pm\..*Demo Agent/);
    expect(await row.getByRole('button', { name: /wrap-up|Wrap up/ }).count()).toBe(0);
    await screenshot(teammatePopup, 'wrap-up-teammate-history');
  });

  it('is refused to the teammate who forges an edit, and edited by its author from history', async () => {
    // The teammate's own session, from the extension's popup, straight at the backend.
    const forged = await teammatePopup.evaluate(async () => {
      const auth = (await chrome.runtime.sendMessage({ type: 'c2c:sw:get-auth' })) as { backendUrl: string; accessToken: string };
      const headers = { authorization: `Bearer ${auth.accessToken}`, 'content-type': 'application/json' };
      const { calls } = (await (await fetch(`${auth.backendUrl}/api/calls`, { headers })).json()) as { calls: Array<{ id: string; wrapUp: { outcomeId: string } | null }> };
      const call = calls.find((c) => c.wrapUp)!;
      const res = await fetch(`${auth.backendUrl}/api/wrapups`, { method: 'POST', headers, body: JSON.stringify({ callId: call.id, outcomeId: call.wrapUp!.outcomeId, notes: 'Rewritten by a teammate' }) });
      return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
    });
    expect(forged).toEqual({ status: 403, body: { error: { code: 'not-the-author', message: 'Only the agent who wrote this wrap-up can change it.' } } });

    const popup = await agent.openPopup();
    const row = historyRow(popup, 'Sam Carter');
    await row.getByRole('button', { name: 'Edit wrap-up of the call with Sam Carter' }).click();
    const form = popup.getByRole('form', { name: 'Wrap-up of the call with Sam Carter' });
    await form.getByLabel('Outcome').selectOption({ label: 'Call back later' });
    await form.getByLabel('Notes').fill('Spoke to the front desk: call back Thursday at 3 pm.');
    await form.getByLabel('Follow up on (optional)').fill('2026-12-10');
    await screenshot(popup, 'wrap-up-author-edit');
    await form.getByRole('button', { name: 'Save wrap-up' }).click();
    await poll(async () => /Call back later · Spoke to the front desk/.test((await row.textContent()) ?? ''));
    expect(await row.textContent()).toMatch(/Call back later · Spoke to the front desk: call back Thursday at 3 pm\. · follow up 2026-12-10 · you/);

    const seen = historyRow(teammatePopup, 'Sam Carter');
    await poll(async () => /Call back later · Spoke to the front desk/.test((await seen.textContent()) ?? ''));
    expect(await seen.textContent()).toMatch(/Call back later · Spoke to the front desk.*Demo Agent/);
    expect(await seen.textContent()).not.toMatch(/Rewritten by a teammate/);
    await screenshot(teammatePopup, 'wrap-up-teammate-sees-edit');
    expect(DEMO.name).toBe('Demo Agent');
  }, 60_000);

  it('when the admin requires it, stops the next dial until the last call is wrapped up, in the extension before the backend', async () => {
    // The demo agent is the organization's admin: the options page shows them the wrap-up section.
    const options = await agent.context.newPage();
    await options.goto(`chrome-extension://${agent.extensionId}/extension/options/index.html`);
    const required = options.getByLabel("Require a wrap-up before an agent's next call");
    await required.check();
    await poll(async () => required.isChecked());
    await screenshot(options, 'wrap-up-admin-options');
    await options.close();
    // The teammate is not an admin: no such section for them.
    const teammateOptions = await teammate.context.newPage();
    await teammateOptions.goto(`chrome-extension://${teammate.extensionId}/extension/options/index.html`);
    await teammateOptions.getByRole('button', { name: /save/i }).first().waitFor({ timeout: WAIT_MS });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await teammateOptions.getByText('Wrap-up (admins)').count()).toBe(0);
    await teammateOptions.close();

    await crm.bringToFront();
    await clickToCall(crm, '(212) 555-0000');
    await waitForBar(crm, /Sam Carter.*Busy.*Wrap up this call/);
    await clickBarControl(crm, 'textbox', 'Notes');
    await crm.keyboard.press('Escape');
    await waitForBar(crm, /^$/);

    const popup = await agent.openPopup();
    const callCount = () => popup.evaluate(async () => {
      const auth = (await chrome.runtime.sendMessage({ type: 'c2c:sw:get-auth' })) as { backendUrl: string; accessToken: string };
      return ((await (await fetch(`${auth.backendUrl}/api/calls`, { headers: { authorization: `Bearer ${auth.accessToken}` } })).json()) as { calls: unknown[] }).calls.length;
    });
    const before = await callCount();
    await crm.bringToFront();
    await clickToCall(crm, '(646) 555-0149');
    await waitForBar(crm, /Wrap up your last call before the next one/);
    await screenshot(crm, 'wrap-up-required-bar');
    expect(await callCount()).toBe(before);

    // Wrapped up from history, the next call goes.
    await popup.bringToFront();
    await popup.reload();
    const row = historyRow(popup, 'Sam Carter');
    await row.getByRole('button', { name: 'Wrap up of the call with Sam Carter' }).click();
    const form = popup.getByRole('form', { name: 'Wrap-up of the call with Sam Carter' });
    await form.getByRole('button', { name: 'Save wrap-up' }).click();
    await poll(async () => /Busy · you/.test((await row.textContent()) ?? ''));
    await crm.bringToFront();
    await clickToCall(crm, '(646) 555-0149');
    await waitForBar(crm, /Grace Hall.*(Calling|Ringing|In call)/);
    await clickBarButton(crm, 'Hang up');
    await waitForBar(crm, /Wrap up this call/);
    expect(await callCount()).toBe(before + 1);
  }, 90_000);

  it('Call next in the popup waits for the required wrap-up of the last call, takes the agent to it, then dials', async () => {
    // Grace Hall's call (the previous test) has ended with its wrap-up offered and not saved.
    const popup = await agent.openPopup(crm);
    const count = () => world.backend.db.query<{ n: number }>('select count(*)::int as n from public.calls').then((r) => r.rows[0]!.n);
    const before = await count();
    const form = popup.getByRole('form', { name: 'Wrap-up of the call that just ended' });
    await form.waitFor({ timeout: WAIT_MS });
    await popup.getByRole('button', { name: 'Call next: Maria Lopez' }).click();
    await popup.getByText('Save the wrap-up of your last call first: Call next dials Maria Lopez once it is saved.').waitFor({ timeout: WAIT_MS });
    await poll(() => form.getByLabel('Outcome').evaluate((el) => el === document.activeElement));
    await screenshot(popup, 'wrap-up-call-next-waits');
    expect(await count()).toBe(before);

    await form.getByLabel('Notes').fill('Left a message with reception.');
    await form.getByRole('button', { name: 'Save wrap-up' }).click();
    await popup.getByText('Wrap-up saved.').waitFor({ timeout: WAIT_MS });
    await poll(async () => (await popup.getByText(/Save the wrap-up of your last call first/).count()) === 0);
    await popup.getByRole('button', { name: 'Call next: Maria Lopez' }).click();
    const call = currentCall(popup);
    await waitForText(call.status, /^(Calling|Ringing|In call)/);
    expect(await call.region.textContent()).toContain('Maria Lopez');
    await call.region.getByRole('button', { name: 'Hang up' }).click();
    await waitForText(call.status, /^Call ended/);
    expect(await count()).toBe(before + 1);
    const notes = await world.backend.db.query<{ notes: string }>(
      "select w.notes from public.call_wrapups w join public.calls c on c.id = w.call_id where c.contact_name = 'Grace Hall' order by c.created_at desc limit 1",
    );
    expect(notes.rows[0]?.notes).toBe('Left a message with reception.');
  }, 90_000);

  it('downloads the history as CSV from the popup: every call of the organization with its wrap-up, and filtered by outcome', async () => {
    // The earlier tests' popups each hold a live stream: Chromium allows six connections to one host, and the download
    // would wait for one. An agent has one popup open.
    for (const page of agent.context.pages()) if (page.url().includes('/extension/popup/')) await page.close();
    const popup = await agent.openPopup();
    await popup.getByRole('button', { name: 'Export CSV' }).click();
    const form = popup.getByRole('form', { name: 'Export calls as CSV' });
    // The filters' lists come from the backend: wait for the outcomes before downloading.
    await poll(async () => (await form.getByLabel('Outcome').locator('option').count()) > 1);
    const download = async () => {
      const [file] = await Promise.all([popup.waitForEvent('download', { timeout: WAIT_MS }), form.getByRole('button', { name: 'Download CSV' }).click()]);
      expect(file.suggestedFilename()).toMatch(/^calls-\d{4}-\d\d-\d\d\.csv$/);
      return parseCsv(await readFile(await file.path(), 'utf8'));
    };

    const all = await download();
    const calls = (await world.backend.db.query<{ id: string; contact_name: string; status: string }>('select id, contact_name, status from public.calls order by created_at desc, id desc')).rows;
    expect(all.map((r) => [r.call_id, r.contact_name, r.status])).toEqual(calls.map((c) => [c.id, c.contact_name, c.status]));
    // The first call: busy, wrapped up from the bar, then edited by its author from history.
    const first = all.at(-1)!;
    expect(first).toMatchObject({
      // A leading + is quoted with ' so that a spreadsheet reads a number, not a formula.
      contact_name: 'Sam Carter', to_number: "'+12125550000", direction: 'outbound', status: 'busy', agent: 'Demo Agent', outcome: 'Call back later',
      notes: 'Spoke to the front desk: call back Thursday at 3 pm.', follow_up_on: '2026-12-10', wrapped_up_by: 'Demo Agent',
    });
    expect(all.find((r) => r.notes === 'Left a message with reception.')).toMatchObject({ contact_name: 'Grace Hall', wrapped_up_by: 'Demo Agent' });

    await form.getByLabel('Outcome').selectOption({ label: 'Call back later' });
    const filtered = await download();
    expect(filtered.map((r) => [r.call_id, r.outcome])).toEqual([[first.call_id, 'Call back later']]);
    await screenshot(popup, 'wrap-up-csv-export');
  }, 60_000);
});
