// Missed-call notifications: each told once, from the ringing path or the history, naming the caller as people would.
import { describe, expect, it } from 'vitest';
import type { Call } from '../../shared/api.js';
import { callerInWords, missedCallSentence, tellMissedCall, tellMissedCallsSince, type MissedCallDeps } from './missed-call-notices.js';

function memory() {
  let told: { ids: string[]; readUntil: string | null } = { ids: [], readUntil: null };
  const said: string[] = [];
  const deps: MissedCallDeps = {
    readTold: async () => told,
    writeTold: async (t) => void (told = t),
    notify: async (id, m) => void said.push(`${id}: ${m}`),
  };
  return { deps, said };
}

const call = (id: string, over: Partial<Call>): Call => ({
  id, direction: 'inbound', status: 'no-answer', fromNumber: '+14155550134', toNumber: '+14155550860', contactName: null, assignedTo: null, agentName: null,
  twilioCallSid: null, dialCallSid: null, pageUrl: null, pageTitle: null, createdAt: '2026-12-02T09:00:00.000Z', answeredAt: null, endedAt: '2026-12-02T09:00:20.000Z',
  duration: 0, errorCode: null, errorMessage: null, ...over,
});
const describeCall = (c: Call) => `Missed call from ${c.fromNumber}.`;

describe('missed-call notifications', () => {
  it('tells nothing at the first read of the history: those calls were missed before this browser signed in', async () => {
    const { deps, said } = memory();
    await tellMissedCallsSince([call('a', {})], describeCall, deps);
    expect(said).toEqual([]);
  });

  it('tells each inbound call missed since the last read, oldest first, and never twice', async () => {
    const { deps, said } = memory();
    await tellMissedCallsSince([call('old', {})], describeCall, deps);
    const later = [
      call('b', { endedAt: '2026-12-02T09:05:00.000Z', fromNumber: '+14155550102' }),
      call('a', { endedAt: '2026-12-02T09:04:00.000Z', fromNumber: '+14155550101' }),
      call('old', {}),
    ];
    await tellMissedCallsSince(later, describeCall, deps);
    await tellMissedCallsSince(later, describeCall, deps);
    expect(said).toEqual(['missed-a: Missed call from +14155550101.', 'missed-b: Missed call from +14155550102.']);
  });

  it('does not tell answered, outbound, or still-ringing calls', async () => {
    const { deps, said } = memory();
    await tellMissedCallsSince([], describeCall, deps);
    await tellMissedCallsSince([
      call('answered', { status: 'completed', answeredBy: '00000000-0000-4000-8000-000000000001' }),
      call('outbound', { direction: 'outbound' }),
      call('ringing', { status: 'ringing', endedAt: null }),
    ], describeCall, deps);
    expect(said).toEqual([]);
  });

  it('does not tell again from the history a call already told when its ringing stopped here', async () => {
    const { deps, said } = memory();
    await tellMissedCallsSince([], describeCall, deps);
    await tellMissedCall('a', 'Missed call from +14155550134.', deps);
    await tellMissedCallsSince([call('a', {})], describeCall, deps);
    expect(said).toEqual(['missed-a: Missed call from +14155550134.']);
  });
});

describe('how a missed call is told', () => {
  it('names the caller by name, else by the number as people write it, else says the number is unknown', () => {
    expect(callerInWords('+14155550178', 'Maria Lopez', 'US')).toBe('Maria Lopez');
    expect(callerInWords('+14155550178', null, 'US')).toBe('(415) 555-0178');
    expect(callerInWords('+442071838750', null, 'US')).toMatch(/^\+44 20 7183 8750$/);
    expect(callerInWords('anonymous', null, 'US')).toBe('anonymous');
    expect(callerInWords(null, null, 'US')).toBe('an unknown number');
  });

  it('says where to play a voicemail, or where to call back', () => {
    expect(missedCallSentence('(415) 555-0178', true)).toBe('Missed call from (415) 555-0178. They left a voicemail: play it from the history in the popup.');
    expect(missedCallSentence('Maria Lopez', false)).toBe('Missed call from Maria Lopez. Call back from the history in the popup.');
  });
});
