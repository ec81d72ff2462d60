import { describe, expect, it } from 'vitest';
import { incomingFromParams } from '../protocol/softphone.js';
import { onIncomingChange, type IncomingNoticeDeps } from './incoming-notices.js';

function deps(overrides: Partial<IncomingNoticeDeps> = {}) {
  const said: string[] = [];
  const d: IncomingNoticeDeps = {
    notifyIncoming: async (id, m) => void said.push(`ring ${id}: ${m}`),
    clear: async (id) => void said.push(`clear ${id}`),
    notifyMissed: async (id, m) => void said.push(`missed-${id}: ${m}`),
    chromeFocused: async () => false,
    wasMissed: async () => true,
    wait: async () => undefined,
    defaultCountry: 'US',
    ...overrides,
  };
  return { d, said };
}

const ringing = incomingFromParams('CA1', { From: '+14155550134', callId: 'call-1' }, 1);

describe('notices of incoming calls', () => {
  it('rings with Answer/Decline when Chrome is not in front, and not when it is', async () => {
    const away = deps();
    await onIncomingChange(null, { call: null, incoming: ringing }, away.d);
    expect(away.said).toEqual(['ring incoming-CA1: Incoming call from (415) 555-0134.']);
    const here = deps({ chromeFocused: async () => true });
    await onIncomingChange(null, { call: null, incoming: ringing }, here.d);
    expect(here.said).toEqual([]);
  });

  it('says Missed call once it stopped ringing and the backend recorded it missed', async () => {
    const { d, said } = deps();
    await onIncomingChange({ call: null, incoming: ringing }, { call: null, incoming: null }, d);
    expect(said).toEqual(['clear incoming-CA1', 'missed-call-1: Missed call from (415) 555-0134. Call back from the history in the popup.']);
  });

  it('says nothing more when a teammate took it, or it was answered here', async () => {
    const teammate = deps({ wasMissed: async () => false });
    await onIncomingChange({ call: null, incoming: ringing }, { call: null, incoming: null }, teammate.d);
    expect(teammate.said).toEqual(['clear incoming-CA1']);
    const here = deps();
    const call = { id: 'x', callSid: 'CA1', to: '+14155550134', contactName: null, pageUrl: null, pageTitle: null, phase: 'open' as const, status: null, startedAt: 1, answeredAt: 2, endedAt: null, muted: false, warnings: [], error: null };
    await onIncomingChange({ call: null, incoming: ringing }, { call, incoming: null }, here.d);
    expect(here.said).toEqual(['clear incoming-CA1']);
  });
});
