import { describe, expect, it } from 'vitest';
import { barViewFor, countryOf, incomingBarView } from './incoming-call-view.js';
import { incomingFromParams } from '../protocol/softphone.js';

describe('the call bar of an incoming call', () => {
  it('shows a known caller by name, with a link to the page they were last called from', () => {
    const incoming = incomingFromParams('CA1', { callerNumber: '+14155550134', contactName: 'Grace Hall', pageUrl: 'https://crm.example.com/leads/7', pageTitle: 'Grace Hall — Leads', callId: 'c1' }, 5);
    expect(incomingBarView(incoming, 'US')).toMatchObject({
      phase: 'ringing', contactName: 'Grace Hall', number: '(415) 555-0134', statusText: 'Incoming call',
      incoming: { callSid: 'CA1', country: 'United States', pageUrl: 'https://crm.example.com/leads/7', pageTitle: 'Grace Hall — Leads' },
    });
  });

  it('shows an unknown caller as the formatted number and its country, and links no page that is not http(s)', () => {
    const incoming = incomingFromParams('CA2', { From: '+442071838750', pageUrl: 'javascript:alert(1)', pageTitle: 'x' }, 5);
    const view = incomingBarView(incoming, 'US');
    expect(view).toMatchObject({ contactName: null, number: '+44 20 7183 8750', incoming: { country: 'United Kingdom', pageUrl: null, pageTitle: null } });
    expect(countryOf('anonymous')).toBeNull();
  });

  it('gives way to a live call', () => {
    const incoming = incomingFromParams('CA3', { From: '+14155550100' }, 5);
    expect(barViewFor({ call: null, incoming }, 'US')?.incoming?.callSid).toBe('CA3');
    const call = { id: 'x', callSid: 'CA9', to: '+14155550101', contactName: null, pageUrl: null, pageTitle: null, phase: 'open' as const, status: null, startedAt: 1, answeredAt: 2, endedAt: null, muted: false, warnings: [], error: null };
    const view = barViewFor({ call, incoming }, 'US');
    expect(view).toMatchObject({ phase: 'open' });
    expect(view).not.toHaveProperty('incoming');
  });
});
