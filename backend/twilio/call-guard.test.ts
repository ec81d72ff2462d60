// The guard refuses a number whose type cannot be determined (libphonenumber's max metadata never yields one, so it is injected).
import { describe, expect, it } from 'vitest';
import { toE164 } from '../../shared/phone/normalize.js';
import { checkOutboundCall } from './call-guard.js';

const settings = { defaultCountry: 'US', allowedCountries: ['US', 'CA'], rateLimit: { calls: 20, windowSeconds: 300 } };
const untouchedStore = {
  agentCallCounts: () => Promise.reject(new Error('a refused number must be refused before the database is asked')),
};

describe('checkOutboundCall', () => {
  it('refuses a valid number of an unknown type, naming the number, before looking at the agent', async () => {
    const unknownType: typeof toE164 = (input, country) => {
      const n = toE164(input, country);
      return n.ok ? { ...n, type: undefined } : n;
    };
    const decision = await checkOutboundCall({ to: '+14155550100', agentId: 'a', now: new Date() }, settings, untouchedStore, unknownType);
    expect(decision).toEqual({
      ok: false,
      code: 'unknown-number-type',
      reason: 'This call was refused: +14155550100 is of an unknown type, so its cost cannot be known.',
      e164: '+14155550100',
    });
  });

  it('refuses a shared-cost number only where its country is allowed at all', async () => {
    const fr = await checkOutboundCall({ to: '+33 810 12 34 56', agentId: 'a', now: new Date() }, settings, untouchedStore);
    expect(fr).toMatchObject({ ok: false, code: 'country-not-allowed' });
    const allowed = await checkOutboundCall({ to: '+33 810 12 34 56', agentId: 'a', now: new Date() }, { ...settings, allowedCountries: ['US', 'FR'] }, untouchedStore);
    expect(allowed).toMatchObject({ ok: false, code: 'shared-cost-number' });
  });
});
