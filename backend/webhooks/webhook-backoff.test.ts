// The retry schedule: doubling with jitter, capped at an hour, at least a day of retries, then given up.
import { describe, expect, it } from 'vitest';
import { MAX_RETRY_DELAY_SECONDS, retryDelaySeconds } from './webhook-backoff.js';

describe('retry delays', () => {
  it('double from the base, jittered between half and all of it', () => {
    expect(retryDelaySeconds(1, 5, 1e9, () => 1)).toBe(5);
    expect(retryDelaySeconds(2, 5, 1e9, () => 1)).toBe(10);
    expect(retryDelaySeconds(4, 5, 1e9, () => 0)).toBe(20);
    expect(retryDelaySeconds(100, 5, 1e9, () => 1)).toBe(MAX_RETRY_DELAY_SECONDS);
  });

  it('keep retrying for the whole window (24 h or more), then give up', () => {
    const window = 24 * 3600;
    let elapsed = 0;
    let attempt = 1;
    for (;;) {
      const delay = retryDelaySeconds(attempt, 5, window - elapsed, () => 0.5);
      if (delay === null) break;
      elapsed += delay;
      attempt++;
    }
    expect(elapsed).toBe(window);
    expect(attempt).toBeGreaterThan(25);
    expect(attempt).toBeLessThan(60);
  });
});
