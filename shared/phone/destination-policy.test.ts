// The destination policy the backend enforces and the extension shows: countries, ranges, types, and their sentences.
import { describe, expect, it } from 'vitest';
import { blockedRanges, checkDestination, countryName, DEFAULT_BLOCKED_RANGES, notCallableSentence, rangesFromWire, rangesToWire, type DestinationPolicy } from './destination-policy.js';
import { toE164 } from './normalize.js';

const usCa: DestinationPolicy = { allowedCountries: ['US', 'CA'], blockedRanges: DEFAULT_BLOCKED_RANGES };

function verdictFor(number: string, policy = usCa) {
  const n = toE164(number, 'US');
  if (!n.ok) throw new Error(`not a number: ${number}`);
  return checkDestination(n, policy);
}

describe('checkDestination', () => {
  it('lets an ordinary number of an allowed country through', () => {
    expect(verdictFor('+14155550134')).toEqual({ ok: true });
    expect(verdictFor('+16135550123')).toEqual({ ok: true });
  });

  it('refuses a country the organization does not allow, and says which in words', () => {
    const v = verdictFor('+442079460958');
    expect(v).toMatchObject({ ok: false, code: 'country-not-allowed', country: 'GB' });
    expect(notCallableSentence(v)).toBe('Calls to the United Kingdom are not allowed for your team.');
    expect(notCallableSentence(verdictFor('+493012345678'))).toBe('Calls to Germany are not allowed for your team.');
  });

  it('refuses a premium-rate number of an allowed country', () => {
    const v = verdictFor('+19005550199');
    expect(v).toMatchObject({ ok: false, code: 'premium-number' });
    expect(notCallableSentence(v)).toBe('This number is a premium-rate number: calls to it are not allowed for your team.');
  });

  it('refuses the default high-cost ranges unless allowed again, and the prefixes the server adds', () => {
    expect(verdictFor('+18675550123')).toMatchObject({ ok: false, code: 'ca-high-cost' });
    const policy = { allowedCountries: ['US', 'CA'], blockedRanges: blockedRanges(['ca-high-cost'], ['+1415']) };
    expect(verdictFor('+18675550123', policy)).toEqual({ ok: true });
    const v = verdictFor('+14155550134', policy);
    expect(v).toMatchObject({ ok: false, code: 'blocked-prefix' });
    expect(notCallableSentence(v)).toBe('Numbers starting +1415 are not allowed for your team.');
  });

  it('gives a sentence only for a refusal', () => {
    expect(notCallableSentence({ ok: true })).toBeNull();
    expect(countryName(undefined)).toBe('that destination');
    expect(countryName('CA')).toBe('Canada');
  });
});

describe('ranges on the wire', () => {
  it('come back as the same ranges, with no pattern sent', () => {
    const ranges = blockedRanges(['nanp-976'], ['+1441']);
    const wire = rangesToWire(ranges);
    expect(JSON.stringify(wire)).not.toContain('pattern');
    const back = rangesFromWire(wire);
    expect(back.map((r) => r.id)).toEqual(ranges.map((r) => r.id));
    expect(back.at(-1)!.pattern.test('+14415550100')).toBe(true);
  });

  it('leave out an id this version does not know (the backend still refuses it)', () => {
    expect(rangesFromWire([{ id: 'from-the-future' }, { id: 'nanp-976' }]).map((r) => r.id)).toEqual(['nanp-976']);
  });
});
