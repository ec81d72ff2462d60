// The guard refuses a number whose type cannot be determined (libphonenumber's max metadata never yields one, so it is injected).
import { describe, expect, it } from 'vitest';
import { toE164 } from '../../shared/phone/normalize.js';
import { EMERGENCY_CALL_MESSAGE, isEmergencyNumber } from '../calls/emergency.js';
import { agentLimits, blockedRanges, checkExtension, checkOutboundNumber } from './call-guard.js';

const settings = { defaultCountry: 'US', allowedCountries: ['US', 'CA'], rateLimit: { calls: 20, windowSeconds: 300 } };

describe('checkOutboundNumber', () => {
  it('refuses a valid number of an unknown type, naming the number, before looking at the agent', () => {
    const unknownType: typeof toE164 = (input, country) => {
      const n = toE164(input, country);
      return n.ok ? { ...n, type: undefined } : n;
    };
    const decision = checkOutboundNumber('+14155550100', settings, unknownType);
    expect(decision).toEqual({
      ok: false,
      code: 'unknown-number-type',
      reason: 'This call was refused: +14155550100 is of an unknown type, so its cost cannot be known.',
      e164: '+14155550100',
    });
  });

  it('refuses a shared-cost number only where its country is allowed at all', () => {
    const fr = checkOutboundNumber('+33 810 12 34 56', settings);
    expect(fr).toMatchObject({ ok: false, code: 'country-not-allowed' });
    const allowed = checkOutboundNumber('+33 810 12 34 56', { ...settings, allowedCountries: ['US', 'FR'] });
    expect(allowed).toMatchObject({ ok: false, code: 'shared-cost-number' });
  });

  it('gives the database the rate limit window and the sentences of its refusals', () => {
    expect(agentLimits(new Date('2026-11-24T12:00:00.000Z'), settings)).toEqual({
      rateLimit: { calls: 20, since: new Date('2026-11-24T11:55:00.000Z') },
      orgLimit: { calls: 2000, since: new Date('2026-11-23T12:00:00.000Z') },
      limitMessages: {
        agentBusy: 'This call was refused: you are already on a call. Hang up first.',
        rateLimited: 'This call was refused: you placed 20 calls in the last 5 minutes. Wait a few minutes and try again.',
        orgLimited:
          'This call was refused: your organization placed 2000 calls in the last 24 hours, its daily limit. Ask your admin to raise ORG_DAILY_CALL_LIMIT or try again later.',
        wrapUpRequired: "Wrap up your last call before the next one: choose its outcome in the call bar or in the popup's history.",
      },
    });
  });
});

describe('the blocked ranges table', () => {
  it('refuses each default range and lets ALLOW_NUMBER_RANGES take one out of the table', () => {
    const cases: Array<[string, string]> = [
      ['+12129761234', 'nanp-976'],
      ['+15335550100', 'nanp-personal'],
      ['+18678731234', 'ca-high-cost'],
      ['+16005550100', 'ca-non-geographic'],
    ];
    for (const [to, code] of cases) expect(checkOutboundNumber(to, settings)).toMatchObject({ ok: false, code });
    const allow867 = { ...settings, blockedRanges: blockedRanges(['ca-high-cost'], []) };
    expect(checkOutboundNumber('+18678731234', allow867)).toEqual({ ok: true, e164: '+18678731234' });
    expect(checkOutboundNumber('+12129761234', allow867)).toMatchObject({ ok: false, code: 'nanp-976' });
  });

  it('refuses extra prefixes from BLOCKED_NUMBER_PREFIXES, and leaves geographic 5XX area codes alone', () => {
    const withPrefix = { ...settings, blockedRanges: blockedRanges([], ['+1416']) };
    expect(checkOutboundNumber('+14165550123', withPrefix)).toMatchObject({ ok: false, code: 'blocked-prefix', reason: expect.stringMatching(/numbers starting \+1416/) });
    for (const geographic of ['+15035550123', '+15125550123', '+15305550123']) expect(checkOutboundNumber(geographic, settings)).toMatchObject({ ok: true });
  });

  it('says the emergency sentence for emergency numbers, however they are written, and not for longer numbers', () => {
    for (const n of ['911', ' 9-1-1 ', '112', '999', '+1 911', '1 (911)', '000', '110']) {
      expect(isEmergencyNumber(n)).toBe(true);
      expect(checkOutboundNumber(n, settings)).toEqual({ ok: false, code: 'emergency-number', reason: EMERGENCY_CALL_MESSAGE, e164: null });
    }
    for (const n of ['+14155550911', '9110', '911a', '']) expect(isEmergencyNumber(n)).toBe(false);
  });

  it('accepts extensions of digits, *, # and pauses up to 16 characters, and nothing else', () => {
    expect(checkExtension(undefined)).toEqual({ ok: true, extension: null });
    expect(checkExtension('wW12*#')).toEqual({ ok: true, extension: 'wW12*#' });
    expect(checkExtension('1'.repeat(16))).toMatchObject({ ok: true });
    for (const bad of ['1'.repeat(17), '12a', '1,2', '1 2', '١٢٣']) expect(checkExtension(bad)).toMatchObject({ ok: false, code: 'invalid-extension' });
  });
});
