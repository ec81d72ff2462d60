// @vitest-environment jsdom
// Tests for what the scanner reads once and reuses as it walks: each number's tree and anchor, the columns of a table's rows.
import { afterEach, describe, expect, it } from 'vitest';
import type { Highlighter } from './highlight.js';
import { PageScanner } from './page-scanner.js';

const highlighter: Highlighter = { supported: false, add() {}, setMuted() {}, delete() {}, adoptInto() {}, clear() {} };

/** A scanner whose slices run only when the test says, one step of the scan each (the clock moves 10 ms per reading). */
function steppedScanner(paint: Highlighter = highlighter): { scanner: PageScanner; step: () => Promise<boolean> } {
  const slices: ((d: { timeRemaining(): number; didTimeout: boolean }) => void)[] = [];
  let clock = 0;
  const scanner = new PageScanner(document, {
    defaultCountry: 'US',
    highlighter: paint,
    ownNodes: () => new Set(),
    queue: { now: () => (clock += 10), requestSoon: (cb) => slices.push(cb), requestIdle: (cb) => slices.push(cb), setTimer: () => {} },
  });
  const step = async () => {
    // Mutation records are delivered first, as they would be before the browser's next task.
    await Promise.resolve();
    const next = slices.shift();
    next?.({ timeRemaining: () => 8, didTimeout: true });
    return next !== undefined;
  };
  return { scanner, step };
}

/** Until the scan has begun (it waits for a frame or 50 ms). */
const begun = (step: () => Promise<boolean>) => new Promise<void>((resolve) => setTimeout(() => void step().then(() => resolve()), 80));

const treeOf = (scanner: PageScanner) => new Map([...scanner.registry.values()].map((n) => [n.e164, n.root]));

describe('PageScanner: the tree of each number', () => {
  let scanner: PageScanner | null = null;
  afterEach(() => {
    scanner?.stop();
    document.body.innerHTML = '';
  });

  it('gives numbers in the document the document, and numbers in a shadow root that root', async () => {
    document.body.innerHTML = '<p>212-555-0183</p><div id="host"></div>';
    const shadow = document.getElementById('host')!.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<p>(404) 555-0185</p>';
    const stepped = steppedScanner();
    scanner = stepped.scanner;
    scanner.start();
    await begun(stepped.step);
    while (await stepped.step());
    expect(treeOf(scanner)).toEqual(new Map<string, Node>([['+12125550183', document], ['+14045550185', shadow]]));
  });

  it('asks a number’s node for its tree when the page changed since the walk began (here: moved into a shadow root)', async () => {
    // Eight numbers fill one step of the scan; the ninth is read in the next, after the page moved it.
    const lines = Array.from({ length: 7 }, (_, i) => `<p>212-555-01${10 + i}</p>`).join('');
    document.body.innerHTML = `${lines}<div id="box"><p>212-555-0120</p><p>312-555-0171</p></div><div id="host"></div>`;
    const stepped = steppedScanner();
    scanner = stepped.scanner;
    scanner.start();
    await begun(stepped.step);
    // The shadow hosts' step, then the one that offers the first eight numbers.
    while (scanner.registry.size < 8 && (await stepped.step()));
    expect(scanner.registry.size).toBe(8);
    const shadow = document.getElementById('host')!.attachShadow({ mode: 'open' });
    shadow.append(document.getElementById('box')!);
    while (await stepped.step());
    const trees = treeOf(scanner);
    expect(trees.get('+12125550110')).toBe(document);
    expect(trees.get('+13125550171')).toBe(shadow);
  });
});

describe('PageScanner: the anchor of each number', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('paints each number near the element holding its first character, not its line’s first node', async () => {
    document.body.innerHTML = '<p id="a">Call <b id="b">212</b>-555-0183</p><table><tr><td id="c">(617) 555-0170</td></tr></table>';
    const anchors = new Map<string, string>();
    const paint: Highlighter = { ...highlighter, add: (range, anchor) => anchors.set(range.toString(), anchor.id) };
    const stepped = steppedScanner(paint);
    stepped.scanner.start();
    await begun(stepped.step);
    while (await stepped.step());
    stepped.scanner.stop();
    expect(anchors).toEqual(new Map([['212-555-0183', 'b'], ['(617) 555-0170', 'c']]));
  });
});

describe('PageScanner: the column of a number in a table', () => {
  let scanner: PageScanner | null = null;
  afterEach(() => {
    scanner?.stop();
    document.body.innerHTML = '';
  });

  const header = '<thead><tr><th>Name</th><th>Phone</th><th>Customer ID</th><th>Mobile</th></tr></thead>';
  const offered = async (html: string, change?: () => void) => {
    document.body.innerHTML = html;
    const stepped = steppedScanner();
    scanner = stepped.scanner;
    scanner.start();
    await begun(stepped.step);
    if (change) {
      while (scanner.registry.size < 8 && (await stepped.step()));
      change();
    }
    while (await stepped.step());
    return [...scanner.registry.values()].map((n) => n.e164).sort();
  };

  it('counts the columns a cell spans and elements in a row that are no cells, not only the cells before it', async () => {
    const html = `<table>${header}<tbody><tr><td>Ann</td><td>(415) 555-0142</td><td>4155550199</td><td>3125550171</td></tr></tbody>
      <tbody><tr><td colspan="2">Bob</td><td>6465550150</td><td>2025550143</td></tr></tbody>
      <tbody id="odd"><tr><td>Carl</td><td>2125550118</td><td>7135550186</td></tr></tbody></table>`;
    const numbers = await offered(html);
    expect(numbers).toEqual(['+12025550143', '+12125550118', '+13125550171', '+14155550142'].sort());
    // A row with an element that is no cell before its cells (put there by script: the parser would move it out).
    scanner!.stop();
    document.body.innerHTML = html;
    const row = document.querySelector('#odd tr')!;
    row.insertBefore(document.createElement('span'), row.firstChild);
    const stepped = steppedScanner();
    scanner = stepped.scanner;
    scanner.start();
    await begun(stepped.step);
    while (await stepped.step());
    expect([...scanner.registry.values()].map((n) => n.e164).sort()).toEqual(['+12025550143', '+13125550171', '+14155550142', '+17135550186'].sort());
  });

  it('reads the columns again for rows the page changed while the scan was under way', async () => {
    const rows = Array.from({ length: 8 }, (_, i) => `<tr><td>Ann</td><td>(415) 555-01${10 + i}</td><td>x</td><td>y</td></tr>`).join('');
    const numbers = await offered(`<table>${header}<tbody id="g">${rows}<tr><td>z</td></tr></tbody></table>`, () => {
      // After the first eight rows: a row whose first cell spans two columns, so its number is in the Customer ID column.
      document.querySelector('#g tr:last-child')!.insertAdjacentHTML('afterend', '<tr><td colspan="2">Bob</td><td>6465550150</td></tr>');
    });
    expect(numbers).toHaveLength(8);
    expect(numbers).not.toContain('+16465550150');
  });
});
