// Tests for the precompiled validity check: it must agree with libphonenumber-js's own isValid().
import { describe, expect, it } from 'vitest';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { PhoneNumber } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/metadata.max.json';

/** libphonenumber-js's own number built from (country, national number): the reference isValid(). */
const Reference = PhoneNumber as unknown as new (country: string, national: string, json: typeof metadata) => PhoneNumber;
import { isValidNationalNumber, validateDigits } from './validate.js';

describe('isValidNationalNumber', () => {
  it('agrees with libphonenumber-js isValid() on random national numbers', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (const country of ['US', 'GB', 'FR', 'DE', 'CA'] as const) {
      for (let i = 0; i < 3000; i++) {
        const national = String(next()).padStart(10, '0').slice(0, 8 + (i % 4));
        const expected = new Reference(country, national, metadata).isValid();
        expect(isValidNationalNumber(national, country), `${country} ${national}`).toBe(expected);
      }
    }
  });
});

describe('validateDigits', () => {
  it('accepts NANP numbers of other regions than the default, as the full parser does', () => {
    expect(validateDigits('2043827968', false, 'US')).toBe(parsePhoneNumberFromString('2043827968', 'US')?.number);
    expect(validateDigits('2043827968', false, 'US')).toBe('+12043827968');
  });

  it('rejects national numbers of the wrong length', () => {
    expect(validateDigits('5550123', false, 'US')).toBeNull();
    expect(validateDigits('21255501181', false, 'US')).toBeNull();
  });

  it('reads international digits by their calling code', () => {
    expect(validateDigits('442079460100', true, 'US')).toBe('+442079460100');
    expect(validateDigits('999123456789', true, 'US')).toBeNull();
  });
});
