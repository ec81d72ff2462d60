// Tests for the work queue: the first scan runs in prompt tasks, later work waits for idle time within a budget.
import { describe, expect, it } from 'vitest';
import { IdleQueue, type IdleDeadlineLike } from './idle-queue.js';

function harness() {
  let clock = 0;
  const soon: ((d: IdleDeadlineLike) => void)[] = [];
  const idle: ((d: IdleDeadlineLike) => void)[] = [];
  const done: string[] = [];
  const queue = new IdleQueue<string>(
    (key) =>
      (function* () {
        for (let i = 0; i < 3; i++) {
          clock += 1;
          yield;
        }
        done.push(key);
      })(),
    {
      sliceMs: 2,
      budgetMsPerSecond: 100,
      now: () => clock,
      requestSoon: (cb) => soon.push(cb),
      requestIdle: (cb) => idle.push(cb),
      setTimer: () => {},
    },
  );
  const deadline = { timeRemaining: () => 50, didTimeout: true };
  return { queue, soon, idle, done, deadline };
}

describe('IdleQueue', () => {
  it('runs the first scan in prompt slices, then later work in idle callbacks', () => {
    const h = harness();
    h.queue.enqueue('page');
    expect(h.idle).toHaveLength(0);
    let slices = 0;
    while (h.soon.length) {
      h.soon.shift()!(h.deadline);
      slices++;
    }
    expect(h.done).toEqual(['page']);
    // Three steps of 1 ms with 2 ms slices: the scan was cut, not run in one go.
    expect(slices).toBeGreaterThan(1);
    h.queue.enqueue('changed row');
    expect(h.soon).toHaveLength(0);
    expect(h.idle).toHaveLength(1);
    while (h.idle.length) h.idle.shift()!(h.deadline);
    expect(h.done).toEqual(['page', 'changed row']);
  });
});
