// @vitest-environment jsdom
// Tests for the whole DOM layer in jsdom: first scan, SPA updates, list-numbers, tel: links, no page mutation, no synthetic calls.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DialRequest, ListedNumber } from '../protocol/messages.js';
import { startContentScript, type ContentScript } from './content-script.js';
import { OVERLAY_TAG } from './overlay.js';

interface Harness {
  script: ContentScript;
  dials: DialRequest[];
  listNumbers: () => ListedNumber[];
}

function start(stored: unknown = {}): Harness {
  const dials: DialRequest[] = [];
  let handler: () => ListedNumber[] = () => [];
  const script = startContentScript({
    doc: document,
    loadOptions: async () => stored,
    onOptionsChanged: () => {},
    sendDial: (r) => dials.push(r),
    onListNumbers: (h) => (handler = h),
  });
  active = { script, dials, listNumbers: () => handler() };
  return active;
}

let active: Harness | null = null;

/** Lets observers and idle-time work run: a short wait, then until the scanner has nothing queued (a loaded machine is slow). */
const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5));
  for (let waited = 0; active?.script.scanner()?.hasPendingWork() && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
};

describe('content script (jsdom)', () => {
  let harness: Harness | null = null;
  afterEach(() => {
    harness?.script.scanner()?.stop();
    harness = null;
    document.body.innerHTML = '';
  });

  it('offers the numbers of the page, tel: links included, once each', async () => {
    document.body.innerHTML = `<table><tr><td>Grace Hall</td><td>(617) 555-0170</td><td>T-88412</td></tr></table>
      <p>Wholesale: <a href="tel:+18005550123">1-800-555-0123</a>. <a href="tel:+12125550100">Call the desk</a></p>
      <p>Order 7135550188, zip 10118-0110</p>`;
    harness = start();
    await settle();
    const byNumber = (a: ListedNumber, b: ListedNumber) => a.e164.localeCompare(b.e164);
    expect(harness.listNumbers().sort(byNumber)).toEqual([
      // With the name the chip would send for each (the row's contact, the paragraph's label).
      { e164: '+16175550170', text: '(617) 555-0170', contactName: 'Grace Hall' },
      { e164: '+18005550123', text: '1-800-555-0123', contactName: 'Wholesale' },
      { e164: '+12125550100', text: 'Call the desk', contactName: 'Wholesale' },
    ].sort(byNumber));
  });

  it('follows a single-page app: added text is offered, removed or replaced text is dropped', async () => {
    document.body.innerHTML = '<main><p id="a">Call 212-555-0183</p></main>';
    harness = start();
    await settle();
    const p = document.createElement('p');
    p.textContent = 'New lead: +44 20 7946 0100';
    document.querySelector('main')!.append(p);
    await settle();
    expect(harness.listNumbers().map((n) => n.e164)).toEqual(['+12125550183', '+442079460100']);
    document.getElementById('a')!.firstChild!.textContent = 'Call 312-555-0171';
    p.remove();
    await settle();
    expect(harness.listNumbers().map((n) => n.e164)).toEqual(['+13125550171']);

  });

  it('finds numbers in open shadow roots, including ones added later', async () => {
    document.body.innerHTML = '<div id="card"></div>';
    const root = document.getElementById('card')!.attachShadow({ mode: 'open' });
    root.innerHTML = '<strong>Mila Ford</strong><div>(404) 555-0185</div>';
    harness = start();
    await settle();
    expect(harness.listNumbers().map((n) => n.e164)).toEqual(['+14045550185']);
    const late = document.createElement('div');
    late.attachShadow({ mode: 'open' }).innerHTML = '<div>503.555.0187</div>';
    document.body.append(late);
    await settle();
    expect(harness.listNumbers().map((n) => n.e164)).toEqual(['+14045550185', '+15035550187']);
  });

  it('lets no page-made key move focus onto the Call chip (real keys do, in the browser suite)', async () => {
    document.body.innerHTML = '<a id="desk" href="tel:+12125550100">Front desk</a> <button id="next">Next</button>';
    harness = start();
    await settle();
    const link = document.getElementById('desk')!;
    link.focus();
    // An untrusted Tab, as a page would dispatch it to jump focus into the chip before the person's Enter.
    const tab = link.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true }));
    expect(tab).toBe(true);
    expect(document.activeElement).toBe(link);
  });

  it('does not offer numbers in a column whose header is an identifier label', async () => {
    document.body.innerHTML = `<table><thead><tr><th>Name</th><th>Phone</th><th>Customer ID</th><th>Account #</th><th colspan="2">Order</th></tr></thead>
      <tbody><tr><td>Maria Lopez</td><td>(415) 555-0142</td><td>4155550199</td><td>3125550171</td><td>x</td><td>6465550150</td></tr></tbody></table>
      <div role="grid"><div role="row"><span role="columnheader">Invoice</span><span role="columnheader">Mobile</span></div>
      <div role="row"><div role="gridcell">2125550118</div><div role="gridcell">+1 713 555 0186</div></div></div>`;
    harness = start();
    await settle();
    expect(harness.listNumbers().map((n) => n.e164)).toEqual(['+14155550142', '+17135550186']);
  });

  it('does not offer text hidden by a stylesheet class', async () => {
    document.head.innerHTML = '<style>.gone { display: none } .ghost { visibility: hidden }</style>';
    document.body.innerHTML = '<p>Now: 305-555-0190</p><div class="gone"><p>Old: (212) 555-0119</p></div><p class="ghost">212-555-0120</p>';
    harness = start();
    await settle();
    document.head.innerHTML = '';
    expect(harness.listNumbers().map((n) => n.e164)).toEqual(['+13055550190']);
  });

  it('offers nothing added later inside an opted-out or hidden subtree', async () => {
    document.body.innerHTML = '<p>Now: 305-555-0190</p><section data-c2c-ignore><div><p id="late"></p></div></section><div hidden><p id="later"></p></div>';
    harness = start();
    await settle();
    document.getElementById('late')!.textContent = 'Internal: 212-555-0119';
    document.getElementById('later')!.textContent = 'Old: 212-555-0120';
    await settle();
    expect(harness.listNumbers().map((n) => n.e164)).toEqual(['+13055550190']);
  });

  it('never changes page-owned nodes', async () => {
    document.body.innerHTML = '<p>Call <span>(312)</span> <span>555-0117</span></p><p><a href="tel:+12125550100">desk</a></p>';
    const before = document.body.innerHTML;
    const seen: MutationRecord[] = [];
    const observer = new MutationObserver((records) => seen.push(...records));
    observer.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
    harness = start();
    await settle();
    await Promise.resolve();
    observer.disconnect();
    expect(harness.listNumbers()).toHaveLength(2);
    expect(document.body.innerHTML).toBe(before);
    // Only the overlay host may ever be added, and here nothing was hovered.
    expect(seen.filter((r) => !(r.addedNodes.length === 1 && (r.addedNodes[0] as Element).tagName?.toLowerCase() === OVERLAY_TAG))).toEqual([]);
  });

  it('ignores synthetic clicks on tel: links and pays no attention to page messages', async () => {
    document.body.innerHTML = '<a id="t" href="tel:+12125550100">desk</a>';
    harness = start();
    await settle();
    document.getElementById('t')!.click();
    window.postMessage({ type: 'c2c:dial', e164: '+12125550100', text: 'x' }, '*');
    document.dispatchEvent(new CustomEvent('c2c:dial', { detail: { e164: '+12125550100' } }));
    await settle();
    expect(harness.dials).toEqual([]);
  });

  it('finds nothing on a site switched off in the options', async () => {
    vi.spyOn(window, 'location', 'get').mockReturnValue({ ...window.location, hostname: 'crm.example.com', href: 'https://crm.example.com/' } as Location);
    document.body.innerHTML = '<p>Call 212-555-0183</p>';
    harness = start({ disabledSites: ['example.com'] });
    await settle();
    expect(harness.listNumbers()).toEqual([]);
    vi.restoreAllMocks();
  });

  it('bounds the work of a page that keeps changing its DOM', async () => {
    document.body.innerHTML = '<p id="tick">0</p><p>Call 212-555-0183</p>';
    harness = start();
    await settle();
    const tick = document.getElementById('tick')!;
    for (let i = 0; i < 5000; i++) tick.textContent = String(i);
    await settle();
    expect(harness.listNumbers().map((n) => n.e164)).toEqual(['+12125550183']);
  });
});
