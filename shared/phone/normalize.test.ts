import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { toE164 } from './normalize.js';

describe('toE164', () => {
  it.each([
    ['415-555-0100', '+14155550100'],
    ['(415) 555-0100', '+14155550100'],
    ['4155550100', '+14155550100'],
    ['+14155550100', '+14155550100'],
    ['1-415-555-0100', '+14155550100'],
    ['  415.555.0100 ', '+14155550100'],
  ])("reads the guide's US format %s as %s", (input, e164) => {
    const r = toE164(input, 'US');
    expect(r).toMatchObject({ ok: true, e164, country: 'US' });
  });

  it('reads international numbers whatever the default country', () => {
    expect(toE164('+44 20 7946 0100', 'US')).toMatchObject({ ok: true, e164: '+442079460100', country: 'GB' });
    expect(toE164('0044 20 7946 0100', 'US')).toMatchObject({ ok: true, e164: '+442079460100' });
  });

  it('reads national numbers in the default country', () => {
    expect(toE164('020 7946 0100', 'GB')).toMatchObject({ ok: true, e164: '+442079460100' });
  });

  it('keeps an extension apart from the number', () => {
    expect(toE164('(415) 555-0100 ext. 204', 'US')).toMatchObject({ ok: true, e164: '+14155550100', extension: '204' });
  });

  it('explains an invalid number in words', () => {
    const r = toE164('555-01', 'US');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/is not a valid phone number in US/);
  });

  it('asks for a number when given none', () => {
    expect(toE164('   ')).toMatchObject({ ok: false, code: 'empty', message: 'Enter a phone number to call.' });
  });

  it('refuses absurdly long input without parsing it', () => {
    expect(toE164('1'.repeat(500))).toMatchObject({ ok: false, code: 'too-long' });
  });

  it('classifies premium-rate numbers', () => {
    expect(toE164('+1 900 555 0100')).toMatchObject({ ok: true, type: 'PREMIUM_RATE' });
  });

  it("gives libphonenumber-js's own isValid() and getType() answers for every kind of number", () => {
    // Deterministic pseudo-random digits after prefixes of many plans (NANP, UK, DE, FR, JP, IN, AU, BR, premium ranges…).
    let seed = 12345;
    const digit = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 10).toString();
    const prefixes = ['+1415', '+1900', '+1800', '+44 20', '+44 7', '+44 9', '+49 30', '+49 15', '+33 6', '+33 89', '+81 3', '+91 98', '+61 4', '+55 11', '+1', '+44', '0', '(212) ', '+979', '+882'];
    let checked = 0;
    const types = new Set<string>();
    for (const prefix of prefixes) {
      for (let i = 0; i < 150; i++) {
        const text = prefix + Array.from({ length: 4 + (i % 8) }, digit).join('');
        for (const country of ['US', 'GB'] as CountryCode[]) {
          const parsed = parsePhoneNumberFromString(text, country);
          const expected = parsed?.isValid() ? { ok: true, type: parsed.getType() } : { ok: false };
          const got = toE164(text, country);
          expect(got.ok ? { ok: true, type: got.type } : { ok: false }, `${text} in ${country}`).toEqual(expected);
          types.add(got.ok ? String(got.type) : 'invalid');
          checked++;
        }
      }
    }
    expect(checked).toBe(prefixes.length * 300);
    // Both answers and several types were met, so the comparison covered more than invalid input.
    expect(types).toContain('invalid');
    expect(types.size).toBeGreaterThanOrEqual(5);
  });
});
