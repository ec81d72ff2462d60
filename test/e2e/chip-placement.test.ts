// Where the Call chip lands on real layouts: measured, not looked at only. For each number the chip must cover no text a
// person reads (the next number, the Email column, the company line), no control of the page, and not the number itself.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, hoverText, hoverUntilCallButton, PERSON_PAUSE_MS, screenshot, useE2eWorld, WAIT_MS, poll, type ExtensionBrowser } from './harness.js';

type Box = { left: number; top: number; right: number; bottom: number };

/** The chip's border box, found as a screen reader finds it (its root is closed). */
async function chipBox(page: Page, text: string): Promise<Box | null> {
  const digits = text.replace(/\D/g, '');
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    for (const node of nodes) {
      const name = node.name?.value;
      if (node.ignored || node.role?.value !== 'button' || typeof name !== 'string' || !name.startsWith('Call ') || node.backendDOMNodeId === undefined) continue;
      if (name.replace(/\D/g, '') !== digits) continue;
      const box = await cdp.send('DOM.getBoxModel', { backendNodeId: node.backendDOMNodeId }).catch(() => null);
      const q = box?.model.border;
      if (!q || box.model.width === 0) continue;
      return { left: q[0]!, top: q[1]!, right: q[4]!, bottom: q[5]! };
    }
    return null;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/**
 * What a person reads or uses on the page, as boxes: every visible text's glyph boxes (cut to the box its element
 * clips to, so the text past an ellipsis is not counted) and every visible control.
 */
function readableBoxes(page: Page): Promise<Array<Box & { what: string }>> {
  return page.evaluate(() => {
    const out: Array<{ left: number; top: number; right: number; bottom: number; what: string }> = [];
    const clipOf = (el: Element | null) => {
      let box = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
      for (; el && el !== document.body; el = el.parentElement) {
        const s = getComputedStyle(el);
        if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
        const r = el.getBoundingClientRect();
        box = { left: Math.max(box.left, r.left), top: Math.max(box.top, r.top), right: Math.min(box.right, r.right), bottom: Math.min(box.bottom, r.bottom) };
      }
      return box;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent ?? '';
      if (!/\S/.test(text) || !n.parentElement || getComputedStyle(n.parentElement).visibility !== 'visible') continue;
      const clip = clipOf(n.parentElement);
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) {
        const b = { left: Math.max(r.left, clip.left), top: Math.max(r.top, clip.top), right: Math.min(r.right, clip.right), bottom: Math.min(r.bottom, clip.bottom) };
        if (b.right > b.left && b.bottom > b.top) out.push({ ...b, what: text.trim().slice(0, 40) });
      }
    }
    for (const el of document.querySelectorAll('button, a[href], input, select')) {
      if (getComputedStyle(el).visibility !== 'visible') continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0) out.push({ left: r.left, top: r.top, right: r.right, bottom: r.bottom, what: `<${el.tagName.toLowerCase()}> ${el.textContent?.trim() ?? ''}` });
    }
    return out;
  });
}

/** Glyph boxes of the lines above and below may touch a chip centred on its line by this much (its rounded corners). */
const SLACK = 3;
const overlap = (a: Box, b: Box) => a.left + SLACK < b.right && a.right - SLACK > b.left && a.top + SLACK < b.bottom && a.bottom - SLACK > b.top;

describe.skipIf(!browserAvailable)('in Chromium: the Call chip covers nothing a person reads', () => {
  const world = useE2eWorld();
  let browser: ExtensionBrowser;
  let page: Page;

  beforeAll(async () => {
    browser = await world.launch();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1000, height: 700 });
    await page.goto(`${world.pages.url}/chip-layouts.html`);
  });

  /** What the layout is, the number (as its chip names it), the screenshot, and the text hovered when not the number. */
  const layouts: Array<[string, string, string, string?]> = [
    ['signature, first of two numbers on a line', '(617) 555-0101', 'signature-first'],
    ['signature, second number', '(617) 555-0102', 'signature-second'],
    ['list view row, Email column beside', '(415) 555-0113', 'list-row'],
    ['list view, first row under the header', '(415) 555-0111', 'list-first-row'],
    ['record page with hover controls', '(312) 555-0121', 'record-hover-controls'],
    ['right edge with a company line below', '(646) 555-0131', 'right-edge'],
    ['number split across spans', '(503) 555-0141', 'split-spans', '(503)'],
    ['cell truncated with an ellipsis', '(702) 555-0151', 'ellipsis-cell'],
  ];

  for (const [what, number, shot, hover] of layouts) {
    it(`${what}: the chip is on screen, off the number and off every neighbouring text and control`, async () => {
      if (hover) {
        await page.mouse.move(1, 1);
        await poll(async () => (await chipBox(page, number)) === null || null);
        await hoverText(page, hover);
      } else await hoverUntilCallButton(page, number);
      const chip = await poll(() => chipBox(page, number));
      expect(chip).not.toBeNull();
      await screenshot(page, `chip-${shot}`);
      const boxes = await readableBoxes(page);
      const covered = boxes.filter((b) => overlap(chip!, b));
      expect(covered.map((b) => b.what)).toEqual([]);
      expect(chip!.left).toBeGreaterThanOrEqual(0);
      expect(chip!.top).toBeGreaterThanOrEqual(0);
      expect(chip!.right).toBeLessThanOrEqual(1000);
      expect(chip!.bottom).toBeLessThanOrEqual(700);
    });
  }

  it('a tel: link that cannot be called gets a chip saying why, and is not handed to the computer; a worded link shows its number', async () => {
    await page.mouse.move(1, 1);
    const link = await page.locator('#bad-tel').boundingBox();
    await page.mouse.click(link!.x + link!.width / 2, link!.y + link!.height / 2);
    const said = await poll(async () => {
      const cdp = await page.context().newCDPSession(page);
      try {
        const { nodes } = await cdp.send('Accessibility.getFullAXTree');
        return nodes.find((n) => n.role?.value === 'button' && String(n.name?.value ?? '').includes('cannot be called'))?.name?.value ?? null;
      } finally {
        await cdp.detach().catch(() => undefined);
      }
    });
    expect(said).toBe('(033) 452-1299 is not a complete phone number, so it cannot be called from here.');
    expect(page.url()).toContain('chip-layouts.html');
    await screenshot(page, 'chip-tel-unparseable');
    await page.keyboard.press('Escape');
    await hoverText(page, 'sales desk');
    expect(await poll(() => chipBox(page, '(617) 555-0199'))).not.toBeNull();
    await screenshot(page, 'chip-tel-worded');
  });

  it('a chip placed off the line still calls in one click', async () => {
    const signed = await world.launchSignedIn();
    const list = await signed.context.newPage();
    await list.goto(`${world.pages.url}/chip-layouts.html`);
    const at = await hoverUntilCallButton(list, '(415) 555-0113');
    await list.mouse.move(at.x, at.y, { steps: 4 });
    await new Promise((r) => setTimeout(r, PERSON_PAUSE_MS));
    await list.mouse.down();
    await list.mouse.up();
    const org = (await firstOrg(world))!;
    const call = await poll(async () => (await world.backend.deps.store.listCalls(org, 5, null)).calls.find((c) => c.toNumber === '+14155550113') ?? null, WAIT_MS);
    expect(call).not.toBeNull();
  });
});

async function firstOrg(world: ReturnType<typeof useE2eWorld>): Promise<string | null> {
  const rows = await world.backend.db.query<{ organization_id: string }>('select organization_id from voip_users limit 1');
  return rows.rows[0]?.organization_id ?? null;
}
