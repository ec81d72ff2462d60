// Tests for the label tables' quick last-word gate: it may let through what the full expression refuses, never the reverse.
import { describe, expect, it } from 'vitest';
import { IDENTIFIER_LABELS, INTL_LABEL_BEFORE, mayEndWithIntlLabel } from './label-words.js';

/** The words written in the tables' entries, each class read both ways ("n[uú]mero" gives "numero" and "número"). */
function tableWords(): string[] {
  const words = new Set<string>();
  for (const source of Object.values(IDENTIFIER_LABELS).flat()) {
    for (const pick of [0, 1]) {
      const plain = source
        .replace(/\[([^\]\\])([^\]\\])?[^\]]*\]/g, (_, a: string, b: string | undefined) => (pick === 1 && b ? b : a))
        .replace(/\\[sS]\??|\\\.\??|[()?:*+|\\]/g, ' ');
      for (const w of plain.split(/[^\p{L}'’"״׳º°-]+/u)) if (w) words.add(w);
    }
  }
  return [...words];
}

describe('mayEndWithIntlLabel', () => {
  it('lets through every text the multi-language label expression matches', () => {
    const words = tableWords();
    const joins = [' ', '', '-', '. ', ' de ', ' del ', ' do ', ' da ', " d'", ' ال', ' ה'];
    const tails = ['', ' ', ':', ' : ', ' #', '.', ' nº ', ' n.º ', ' Nr. ', ' - '];
    let matched = 0;
    for (const a of ['', ...words]) {
      for (const join of a === '' ? [''] : joins) {
        for (const b of words) {
          for (const tail of tails) {
            for (const text of [`${a}${join}${b}${tail}`, `Call ${a}${join}${b.toUpperCase()}${tail}`]) {
              if (!INTL_LABEL_BEFORE.test(text)) continue;
              matched++;
              if (!mayEndWithIntlLabel(text)) expect.fail(`the gate refused ${JSON.stringify(text)}, which is a label`);
            }
          }
        }
      }
    }
    // The texts above are labels of every table many times over (a check that checks nothing would find none).
    expect(matched).toBeGreaterThan(5_000);
  });

  it('refuses plain English words the tables never end with, so prose skips the expression', () => {
    for (const text of ['please call ', 'reach us at ', 'Tel: ', 'Cell - ', 'ring the desk on ']) expect(mayEndWithIntlLabel(text), text).toBe(false);
    // Any non-ASCII letter goes to the expression: accents, º, Arabic, Hebrew.
    for (const text of ['Teléfono: ', 'Nº ', 'هاتف: ', 'טלפון: ']) expect(mayEndWithIntlLabel(text), text).toBe(true);
  });
});
