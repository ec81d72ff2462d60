// The registration for incoming calls: retried soon after a failure, renewed while kept, and an old attempt's answer ignored.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registrationKeeper } from './registration-keeper.js';

describe('registration keeper', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('tries a failed registration again after 1 s, then 2 s, then renews it every 5 minutes once taken', async () => {
    const posts: boolean[] = [];
    let refuse = 2;
    const keeper = registrationKeeper({ post: async (r) => { posts.push(r); if (r && refuse-- > 0) throw new Error('busy'); } });
    keeper.register();
    await vi.advanceTimersByTimeAsync(0);
    expect(posts).toEqual([true]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(posts).toEqual([true, true]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(posts).toEqual([true, true, true]);
    await vi.advanceTimersByTimeAsync(4 * 60_000);
    expect(posts).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(posts).toHaveLength(4);
  });

  it('stops renewing once stopped, tells the backend when asked, and an answer that comes after the stop schedules nothing', async () => {
    const posts: boolean[] = [];
    let answer!: () => void;
    const keeper = registrationKeeper({ post: (r) => { posts.push(r); return r ? new Promise<void>((resolve) => (answer = resolve)) : Promise.resolve(); } });
    keeper.register();
    await vi.advanceTimersByTimeAsync(0);
    expect(keeper.active).toBe(true);
    keeper.stop(true);
    expect(keeper.active).toBe(false);
    answer();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(posts).toEqual([true, false]);
  });

  it('sends a stop and the register right after it in that order, so a Device that registers again stays registered', async () => {
    const arrived: boolean[] = [];
    // The backend answers the first request slower than the second, as a busy one may.
    const delays = [50, 0];
    const keeper = registrationKeeper({
      post: (r) => new Promise<void>((resolve) => setTimeout(() => (arrived.push(r), resolve()), delays.shift() ?? 0)),
    });
    keeper.stop(true);
    keeper.register();
    await vi.advanceTimersByTimeAsync(100);
    expect(arrived).toEqual([false, true]);
  });
});
