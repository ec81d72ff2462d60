// @vitest-environment jsdom
// Tests for what the scanner records of each found number as it walks: its tree (document or shadow root) and anchor.
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
