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
});
