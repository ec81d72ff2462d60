// The guard refuses a number whose type cannot be determined (libphonenumber's max metadata never yields one, so it is injected).
import { describe, expect, it } from 'vitest';
import { toE164 } from '../../shared/phone/normalize.js';
import { agentLimits, checkOutboundNumber } from './call-guard.js';

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
      limitMessages: {
        agentBusy: 'This call was refused: you are already on a call. Hang up first.',
        rateLimited: 'This call was refused: you placed 20 calls in the last 5 minutes. Wait a few minutes and try again.',
      },
    });
  });
});
