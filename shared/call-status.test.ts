import { describe, expect, it } from 'vitest';
import { applyCallEvent, CALL_STATUS_RANK, isTerminal, parseTwilioStatus, type CallEventInput, type CallProgress } from './call-status.js';

const start: CallProgress = { status: 'initiated', answeredAt: null, endedAt: null, duration: null };
const t = (s: number) => new Date(Date.UTC(2026, 10, 24, 12, 0, s));

// A full answered call as Twilio reports it: progress events plus the <Dial action>.
const answered: CallEventInput[] = [
  { status: 'initiated', occurredAt: t(0) },
  { status: 'ringing', occurredAt: t(1) },
  { status: 'in-progress', occurredAt: t(3) },
  { status: 'completed', occurredAt: t(45), duration: 42 },
  { status: 'completed', occurredAt: t(46), duration: 42 },
];

function* permutations<T>(items: T[]): Generator<T[]> {
  if (items.length <= 1) return yield items.slice();
  for (let i = 0; i < items.length; i++) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const p of permutations(rest)) yield [items[i]!, ...p];
  }
}

const fold = (events: CallEventInput[]) => events.reduce(applyCallEvent, start);

describe('call state machine', () => {
  it('reaches the same final state for every order of a full event sequence with duplicates', () => {
    const withDuplicates = [...answered, answered[2]!, answered[1]!];
    const expected = { status: 'completed', answeredAt: t(3), endedAt: t(46), duration: 42 };
    let orders = 0;
    for (const order of permutations(withDuplicates)) {
      expect(fold(order)).toEqual(expected);
      orders++;
    }
    expect(orders).toBe(5040);
  });

  it('never moves a call backwards', () => {
    const ringing = fold([{ status: 'in-progress', occurredAt: t(3) }]);
    expect(applyCallEvent(ringing, { status: 'ringing', occurredAt: t(4) }).status).toBe('in-progress');
  });

  it('keeps a terminal call terminal when a late progress event arrives', () => {
    const busy = fold([{ status: 'busy', occurredAt: t(5) }]);
    const after = applyCallEvent(busy, { status: 'ringing', occurredAt: t(6) });
    expect(after.status).toBe('busy');
    expect(isTerminal(after.status)).toBe(true);
  });

  it('treats a repeated event as a no-op', () => {
    const once = fold(answered);
    expect(fold([...answered, ...answered])).toEqual(once);
  });

  it('ranks every live status below every terminal one', () => {
    const live = ['initiated', 'ringing', 'in-progress'] as const;
    const terminal = ['completed', 'busy', 'no-answer', 'failed', 'canceled'] as const;
    for (const l of live) for (const x of terminal) expect(CALL_STATUS_RANK[l]).toBeLessThan(CALL_STATUS_RANK[x]);
  });

  it("maps Twilio's status words to ours", () => {
    expect(parseTwilioStatus('queued')).toBe('initiated');
    expect(parseTwilioStatus('answered')).toBe('in-progress');
    expect(parseTwilioStatus('no-answer')).toBe('no-answer');
    expect(parseTwilioStatus('exploded')).toBeUndefined();
    expect(parseTwilioStatus(undefined)).toBeUndefined();
  });
});
