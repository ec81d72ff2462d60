// The content script over the detection fixture pages (one per class of page the world has), in jsdom: every page offers
// exactly its expected numbers. Chromium scores the same pages in npm run bench:detect.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { offeredInJsdom, readLabelled } from '../../bench/detect-pages.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/detection');
const labelled = await readLabelled(dir);

const pages: Record<string, string> = {
  'intl-office.html': 'reads CJK-adjacent, full-width, Arabic-Indic, Persian and oddly spaced numbers, whole or not at all, and vanity numbers',
  'rtl-contact.html': 'offers the phones of an Arabic and Hebrew contact page, not its order, account or invoice numbers',
  'multilingual-orders.html': 'leaves order, invoice and customer numbers labelled in Spanish, French, German and Portuguese, and RMA, MLS, #:',
  'order-admin.html': 'leaves identifiers labelled in another element: <dt>, aria-labelledby, <label for>, Lightning label/value pairs, row headers',
  'crm-grid.html': 'leaves an ag-grid identifier column whose header sits in a separate header container (aria-colindex)',
  'rendering.html': 'decides from CSS: visually hidden, opacity 0, aria-hidden, content-visibility, flex items, class-hidden digits, SVG text, <wbr>, editor edits',
  'design-mode.html': 'offers nothing on a page in designMode',
  'chat-app.html': 'reads a chat whose messages are flex items beside CJK text',
  'help-center.html': 'leaves numbers in a 1 px box that hides its overflow (inline spans inside it too), reads vanity numbers split across elements',
  'account-modal.html': 'offers only the modal dialog\'s number while it hides the rest of the page with aria-hidden (shadow roots and tel: links included)',
};

describe('detection fixture pages in jsdom', () => {
  it('has a test for every labelled page', () => {
    expect(Object.keys(pages).sort()).toEqual(Object.keys(labelled.pages).sort());
  });

  for (const [page, behaviour] of Object.entries(pages)) {
    it(`${page}: ${behaviour}`, async () => {
      const html = await readFile(path.join(dir, page), 'utf8');
      const offered = await offeredInJsdom(html, page, labelled.defaultCountry);
      expect([...new Set(offered)].sort()).toEqual([...labelled.pages[page]!].sort());
    }, 20_000);
  }
});
