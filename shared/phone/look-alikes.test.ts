// Tests for the look-alike rules used by the detection core.
import { describe, expect, it } from 'vitest';
import { amountContext, gluedAfter, gluedBefore, isIdentifierHeader, labelledAsIdentifier, lookAlikeRun, markDateGroups, type DigitGroup } from './look-alikes.js';

function groups(text: string): DigitGroup[] {
  const out: DigitGroup[] = [];
  const re = /\d+/g;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(text)) !== null) {
    out.push({ digits: m[0], start: m.index, end: m.index + m[0].length, sepBefore: text.slice(last, m.index) });
    last = m.index + m[0].length;
  }
  return out;
}

describe('labelledAsIdentifier', () => {
  it('sees identifier labels right before the digits', () => {
    for (const t of ['Order ', 'Invoice #', 'Customer ID: ', 'Ref: ', 'PO ', 'SKU: ', 'Tracking no. ', 'Ticket #']) {
      expect(labelledAsIdentifier(`${t}1`, t.length), t).toBe(true);
    }
  });
  it('leaves phone labels alone', () => {
    for (const t of ['Phone: ', 'Tel. ', 'Mobile no. ', 'Caller ID: ', 'Call me at ', 'Customer phone: ']) {
      expect(labelledAsIdentifier(`${t}1`, t.length), t).toBe(false);
    }
  });
});

describe('glue rules', () => {
  it('sees digits glued to letters, digits or a hyphenated word', () => {
    expect(gluedBefore('T-88412', 2)).toBe(true);
    expect(gluedBefore('ab12', 2)).toBe(true);
    expect(gluedAfter('7135550188-B', 10)).toBe(true);
    expect(gluedAfter('10:30', 2)).toBe(true);
  });
  it('accepts ordinary punctuation around a number', () => {
    expect(gluedBefore('Tel: 1', 5)).toBe(false);
    expect(gluedBefore('(1', 1)).toBe(false);
    expect(gluedAfter('1. Next', 1)).toBe(false);
    expect(gluedAfter('1, or', 1)).toBe(false);
  });
});

describe('look-alike runs', () => {
  it('recognises IP addresses, card numbers and IBANs', () => {
    expect(lookAlikeRun('192.168.100.200', groups('192.168.100.200'))).toBe(true);
    expect(lookAlikeRun('4111 1111 1111 1111', groups('4111 1111 1111 1111'))).toBe(true);
    const iban = 'DE89 3704 0044 0532 0130 00';
    expect(lookAlikeRun(iban, groups(iban).map((g) => g))).toBe(true);
    expect(lookAlikeRun('(617) 555-0170', groups('(617) 555-0170'))).toBe(false);
  });
  it('marks dates but not numbers in dotted groups', () => {
    const date = groups('on 2025-11-03 at');
    const blocked = date.map(() => false);
    markDateGroups(date, blocked);
    expect(blocked).toEqual([true, true, true]);
    const french = groups('06.12.34.56.78');
    const notBlocked = french.map(() => false);
    markDateGroups(french, notBlocked);
    expect(notBlocked.every((b) => !b)).toBe(true);
  });
  it('sees amounts and units', () => {
    expect(amountContext('$2125550118', 1, 11)).toBe(true);
    expect(amountContext('2125550118 MB', 0, 10)).toBe(true);
    expect(amountContext('call 2125550118 now', 5, 15)).toBe(false);
  });
});

describe('isIdentifierHeader', () => {
  it('reads identifier column headers', () => {
    for (const h of ['Customer ID', 'Account #', 'Order', 'Invoice', 'Invoice no.', ' Ticket\n#', 'ID', 'Ref', 'PO number']) expect(isIdentifierHeader(h), h).toBe(true);
  });

  it('leaves phone and other columns alone', () => {
    for (const h of ['Phone', 'Mobile', 'Account phone', 'Customer', 'Name', 'Caller ID', 'Direct line', '']) expect(isIdentifierHeader(h), h).toBe(false);
  });
});
