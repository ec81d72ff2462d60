// The Call chip is readable in the light and the dark theme (prefers-color-scheme emulated): every visible text of it,
// the callable chip and a refused destination's, at WCAG AA (4.5:1), from the colours Chromium computes. The chip's
// root is closed, so it is read through DevTools (DOM with pierce, CSS.getComputedStyleForNode), as no page script can.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, hoverUntilButtonNamed, hoverUntilCallButton, screenshot, useE2eWorld, type ExtensionBrowser } from './harness.js';

interface DomNode {
  nodeId: number;
  nodeName: string;
  nodeType: number;
  nodeValue?: string;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
}

const parse = (c: string): number[] => {
  const m = /rgba?\(([^)]+)\)/.exec(c);
  if (!m) throw new Error(`not a colour: ${c}`);
  const p = m[1]!.split(/[\s,/]+/).filter(Boolean).map(Number);
  return [p[0]!, p[1]!, p[2]!, p.length > 3 ? p[3]! : 1];
};
const luminance = ([r, g, b]: number[]) => {
  const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
};
function contrast(fg: number[], bg: number[]): number {
  const a = fg[3]!;
  const mixed = [0, 1, 2].map((i) => fg[i]! * a + bg[i]! * (1 - a));
  const [l1, l2] = [luminance(mixed), luminance(bg)].sort((x, y) => y - x);
  return (l1! + 0.05) / (l2! + 0.05);
}

/** Each visible text of the open chip: what it says, its colour, and the chip's background, as Chromium computes them. */
async function chipTexts(page: Page): Promise<Array<{ text: string; ratio: number; color: string; background: string }>> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const find = (n: DomNode, test: (n: DomNode) => boolean): DomNode | null => {
      if (test(n)) return n;
      for (const kid of [...(n.shadowRoots ?? []), ...(n.children ?? [])]) {
        const found = find(kid, test);
        if (found) return found;
      }
      return null;
    };
    const classOf = (n: DomNode) => {
      const i = n.attributes?.indexOf('class') ?? -1;
      return i >= 0 ? n.attributes![i + 1]! : '';
    };
    const chip = find(root, (n) => n.nodeName === 'BUTTON' && classOf(n).split(' ').includes('chip'));
    if (!chip) throw new Error('no chip in the page');
    const style = async (n: DomNode) => {
      const { computedStyle } = (await cdp.send('CSS.getComputedStyleForNode', { nodeId: n.nodeId })) as { computedStyle: Array<{ name: string; value: string }> };
      return Object.fromEntries(computedStyle.map((p) => [p.name, p.value]));
    };
    const chipStyle = await style(chip);
    const background = chipStyle['background-color']!;
    expect(parse(background)[3], 'the chip is opaque').toBe(1);
    const out: Array<{ text: string; ratio: number; color: string; background: string }> = [];
    for (const span of chip.children ?? []) {
      if (span.nodeName !== 'SPAN') continue;
      const text = (span.children ?? []).filter((c) => c.nodeType === 3).map((c) => c.nodeValue ?? '').join('').trim();
      const s = await style(span);
      if (text === '' || s.display === 'none' || s.visibility !== 'visible') continue;
      out.push({ text, color: s.color!, background, ratio: contrast(parse(s.color!), parse(background)) });
    }
    return out;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

describe.skipIf(!browserAvailable)('in Chromium: the chip is readable in both themes', () => {
  const world = useE2eWorld();
  let browser: ExtensionBrowser;
  let page: Page;

  beforeAll(async () => {
    browser = await world.launch();
    page = await browser.context.newPage();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`${scheme}: the Call chip and a refused destination's chip reach 4.5:1 for every text`, async () => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${world.pages.url}/refused-destinations.html`);
      await hoverUntilCallButton(page, '(415) 555-0111');
      const callable = await chipTexts(page);
      expect(callable.map((t) => t.text)).toEqual(['Call', '(415) 555-0111']);
      for (const t of callable) expect(t.ratio, `"${t.text}" ${t.color} on ${t.background}`).toBeGreaterThanOrEqual(4.5);
      await screenshot(page, `chip-contrast-${scheme}`);

      await hoverUntilButtonNamed(page, '+44 20 7946 0958', 'Calls to the United Kingdom are not allowed for your team.');
      const refused = await chipTexts(page);
      expect(refused.map((t) => t.text)).toEqual(['Calls to the United Kingdom are not allowed for your team.']);
      for (const t of refused) expect(t.ratio, `"${t.text}" ${t.color} on ${t.background}`).toBeGreaterThanOrEqual(4.5);
      await screenshot(page, `chip-contrast-refused-${scheme}`);
    });
  }
});
