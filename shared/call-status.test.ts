// The shared call statuses. How events move a call is tested in the database itself: every order of a full sequence in
// backend/store/call-event-order.test.ts, the rules in supabase/call-state-rules.test.ts and the store contract.
import { describe, expect, it } from 'vitest';
import { CALL_STATUSES, isTerminal, parseTwilioStatus } from './call-status.js';

describe('call statuses', () => {
  it('calls the five results final and the three live statuses not', () => {
    expect(CALL_STATUSES.filter(isTerminal)).toEqual(['canceled', 'failed', 'no-answer', 'busy', 'completed']);
  });

  it("maps Twilio's status words to ours", () => {
    expect(parseTwilioStatus('queued')).toBe('initiated');
    expect(parseTwilioStatus('answered')).toBe('in-progress');
    expect(parseTwilioStatus('no-answer')).toBe('no-answer');
    expect(parseTwilioStatus(' Completed ')).toBe('completed');
    expect(parseTwilioStatus('exploded')).toBeUndefined();
    expect(parseTwilioStatus(undefined)).toBeUndefined();
  });
});
