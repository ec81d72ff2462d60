// @vitest-environment jsdom
// Tests for guessing a contact's name from the page around a number.
import { describe, expect, it } from 'vitest';
import { guessContactName, guessNameFromLines, looksLikeName } from './contact-name.js';

function textNodeContaining(text: string): Text {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if ((n as Text).data.includes(text)) return n as Text;
  throw new Error(`no text node with ${text}`);
}

describe('contact name', () => {
  it('tells names from other short texts', () => {
    expect(looksLikeName('Grace Hall')).toBe(true);
    expect(looksLikeName('Dr. Ana María López')).toBe(true);
    expect(looksLikeName('T-88412')).toBe(false);
    expect(looksLikeName('Best regards,')).toBe(false);
    expect(looksLikeName('Acme Corp')).toBe(false);
  });

  it('takes the name cell of the table row, by its column header', () => {
    document.body.innerHTML = `<table><thead><tr><th>Company</th><th>Contact name</th><th>Phone</th></tr></thead>
      <tbody><tr><td>Globex</td><td>Henry Young</td><td>+1 312 555 0171</td></tr></tbody></table>`;
    expect(guessContactName(textNodeContaining('0171'), '+1 312 555 0171')).toBe('Henry Young');
  });

  it("never takes another row's name when the number's own row has none", () => {
    document.body.innerHTML = `<table><tr><th>Name</th><th>Phone</th></tr>
      <tr><td>Maria Lopez</td><td>(415) 555-0111</td></tr>
      <tr><td>London Office</td><td>+44 20 7946 0958</td></tr></table>`;
    expect(guessContactName(textNodeContaining('0111'), '(415) 555-0111')).toBe('Maria Lopez');
    expect(guessContactName(textNodeContaining('0958'), '+44 20 7946 0958')).toBeUndefined();
  });

  it("takes a signature's first line after the sign-off", () => {
    document.body.innerHTML = `<div class="mail"><p>Thanks for the call.</p><div>Best regards,<br>Maria Lopez<br>Account Executive, Acme Corp<br>Mobile: (415) 555-0142</div></div>`;
    expect(guessContactName(textNodeContaining('0142'), '(415) 555-0142')).toBe('Maria Lopez');
    expect(guessNameFromLines(['--', 'Sam Carter', 'Support', 'Tel 212-555-0100'], 3)).toBe('Sam Carter');
  });

  it('says nothing when no name is near', () => {
    document.body.innerHTML = '<p>Call 212-555-0183 for appointments</p>';
    expect(guessContactName(textNodeContaining('0183'), '212-555-0183')).toBeUndefined();
  });
});
