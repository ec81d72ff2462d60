// The contexts of Google libphonenumber's PhoneNumberMatcherTest, with numbers valid in today's metadata, as tests of the core.
// libphonenumber's VALID leniency is the bar: a number glued to Latin letters is "possible" there, never offered here.
import { describe, expect, it } from 'vitest';
import { detectPhoneNumbers } from './detect.js';

const NUMBER = '415-666-7777';
const E164 = '+14156667777';

/** [text before, text after, offered?] around NUMBER. */
const CONTEXTS: [string, string, boolean][] = [
  // findPossibleInContext
  ['', '', true],
  ['   ', '\t', true],
  ['Hello ', '', true],
  ['', ' to call me!', true],
  ['Hi there, call ', ' to reach me!', true],
  ['Hi there, call ', ", or don't", true],
  ['Hi call', '', false],
  ['', 'forme', false],
  ['Hi call', 'forme', false],
  ["It's cheap! Call ", ' before 6:30', true],
  ['Call ', ' or +1800-123-4567!', true],
  ['Call me on June 2 at', '', false],
  ['As quoted by Alfonso 12-15 (2009), you may call me at ', '', true],
  ['As quoted by Alfonso et al. 12-15 (2009), you may call me at ', '', true],
  ['As I said on 03/10/2011, you may call me at ', '', true],
  ['', ', 45 days a week', true],
  ['', ';x 7246433', true],
  ['Call ', '/x12 more', true],
  // findValidInContext
  ["It's only 9.99! Call ", ' to buy', true],
  ['Call me on 21.6.1984 at ', '', true],
  ['Call me on 06/21 at ', '', true],
  ['Call me on 21.6. at ', '', true],
  ['Call me on 06/21/84 at ', '', true],
  // testMatchesWithSurroundingLatinChars
  ['abc', 'def', false],
  ['abc', '', false],
  ['', 'def', false],
  ['\u00c9', '', false],
  ['e\u0301', '', false],
  // testMoneyNotSeenAsPhoneNumber, testPercentageNotSeenAsPhoneNumber
  ['$', '', false],
  ['', '$', false],
  ['\u00a3', '', false],
  ['\u00a5', '', false],
  ['', '%', false],
  // testPhoneNumberWithLeadingOrTrailingMoneyMatches
  ['$20 ', '', true],
  ['', ' 100$', true],
  // testMatchesWithSurroundingChineseChars
  ['\u6211\u7684\u7535\u8bdd\u53f7\u7801\u662f', '', true],
  ['', '\u662f\u6211\u7684\u7535\u8bdd\u53f7\u7801', true],
  ['\u8bf7\u62e8\u6253', '\u6211\u5728\u660e\u5929', true],
  // testMatchesWithSurroundingPunctuation
  ['My number-', '', true],
  ['', '.Nice day.', true],
  ['Tel:', '.', true],
  ['Tel: ', ' on Saturdays.', true],
];

/** testMatchesWithSurroundingLatinCharsAndLeadingPunctuation: numbers that start with punctuation. */
const LEADING_PUNCTUATION: [string, string, boolean][] = [
  ['abc', 'def', false],
  ['', 'def', false],
  ['', '\u00c9', false],
  ['abc', '', true],
  ['\u00c9', '', true],
  ['\u00c9', '.', true],
  ['\u00c9', ' def', true],
];

const offered = (text: string) => detectPhoneNumbers(text, { defaultCountry: 'US' });

describe('PhoneNumberMatcherTest contexts', () => {
  it.each(CONTEXTS)('%j + number + %j -> offered: %s', (before, after, expected) => {
    const matches = offered(`${before}${NUMBER}${after}`);
    if (!expected) {
      expect(matches.map((m) => m.e164)).not.toContain(E164);
      return;
    }
    expect(matches[0]).toMatchObject({ e164: E164, start: before.length, end: before.length + NUMBER.length, text: NUMBER });
    expect(matches[0]!.extension).toBeUndefined();
  });

  for (const number of ['+14156667777', '(415)6667777']) {
    it.each(LEADING_PUNCTUATION)(`%j + ${number} + %j -> offered: %s`, (before, after, expected) => {
      const found = offered(`${before}${number}${after}`).map((m) => m.e164);
      expect(found.includes(E164)).toBe(expected);
    });
  }

  it('finds two numbers separated by " -- " and neither when "--" joins them (testMatchesMultiplePhoneNumbersSeparatedByPhoneNumberPunctuation)', () => {
    const matches = offered('Call 650-253-4561 -- 415-666-7777');
    expect(matches.map((m) => [m.start, m.text, m.e164])).toEqual([
      [5, '650-253-4561', '+16502534561'],
      [21, '415-666-7777', '+14156667777'],
    ]);
    expect(offered('Call 650-253-4561--415-666-7777')).toEqual([]);
  });

  it('finds the number beside a zip code (testMatchesWithSurroundingZipcodes)', () => {
    expect(offered(`My address is CA 34215 - ${NUMBER} is my number.`).map((m) => m.e164)).toEqual([E164]);
    expect(offered(`My number is ${NUMBER}. 34215 is my zip-code.`).map((m) => m.e164)).toEqual([E164]);
  });

  it('reads full-width digits, plus and brackets (testFindWithInternationalPrefixes)', () => {
    const text = '\uff0b\u0031\u00a0\uff08\uff16\uff15\uff10\uff09\u0020\uff13\uff13\uff13\u002d\uff16\uff10\uff10\uff10';
    expect(offered(text)).toEqual([{ start: 0, end: text.length, e164: '+16503336000', text }]);
    expect(offered('\uff0b1 (650) 333-6000').map((m) => m.e164)).toEqual(['+16503336000']);
    expect(offered('+1 (650) 333-6000, +1-650-333-6000 and +1 650 333 6000').map((m) => m.e164)).toEqual(['+16503336000', '+16503336000', '+16503336000']);
  });

  it('leaves unmatched brackets of measurements alone (testNonMatchingBracketsAreInvalid)', () => {
    expect(offered('80.585 [79.964, 81.191]')).toEqual([]);
    expect(offered('80.585 [79.964]')).toEqual([]);
    expect(offered('80.585 79.964')).toEqual([]);
  });

  it('finds numbers in a row (testFourMatchesInARow)', () => {
    expect(offered('Call 650-253-0000, 650-253-0001, 650-253-0002 and 650-253-0003').map((m) => m.e164)).toEqual([
      '+16502530000',
      '+16502530001',
      '+16502530002',
      '+16502530003',
    ]);
  });
});
