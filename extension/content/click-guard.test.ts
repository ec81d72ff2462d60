// A chip activation dials only after the chip was seen, unmoved and unobscured, for the input-protection time.
import { describe, expect, it } from 'vitest';
import { MIN_VISIBLE_MS, newChipWatch, refuseActivation } from './click-guard.js';

const pointer = { kind: 'pointer' } as const;
const keyboard = { kind: 'keyboard' } as const;

function seen(at: number) {
  const watch = newChipWatch(at);
  watch.visibleSince = at;
  watch.pointerEntered = true;
  return watch;
}

describe('refuseActivation', () => {
  it('lets a click through once the chip has been visible for the protection time', () => {
    expect(refuseActivation(seen(1000), pointer, 1000 + MIN_VISIBLE_MS)).toBeNull();
  });
  it('refuses a click that comes sooner, and restarts the wait after each refusal', () => {
    const watch = seen(1000);
    expect(refuseActivation(watch, pointer, 1000 + MIN_VISIBLE_MS - 1)).toMatch(/Hold on/);
    watch.refusedAt = 1499;
    expect(refuseActivation(watch, pointer, 1600)).toMatch(/Hold on/);
    expect(refuseActivation(watch, pointer, 1499 + MIN_VISIBLE_MS)).toBeNull();
  });
  it('refuses while the browser does not report the chip visible (covered, transparent, filtered)', () => {
    const watch = seen(1000);
    watch.visibleSince = null;
    expect(refuseActivation(watch, pointer, 9000)).toMatch(/covered or hidden/);
  });
  it('counts the time from when the chip became visible, not from when it was shown', () => {
    const watch = seen(1000);
    watch.visibleSince = 1400;
    expect(refuseActivation(watch, pointer, 1000 + MIN_VISIBLE_MS)).toMatch(/Hold on/);
    expect(refuseActivation(watch, pointer, 1400 + MIN_VISIBLE_MS)).toBeNull();
  });
  it('refuses a click on a chip that appeared under a resting pointer', () => {
    const watch = seen(1000);
    watch.pointerEntered = false;
    expect(refuseActivation(watch, pointer, 5000)).toMatch(/under the pointer/);
  });
  it('takes Enter or Space only on a chip focused long enough', () => {
    const watch = seen(1000);
    expect(refuseActivation(watch, keyboard, 5000)).toMatch(/not focused/);
    watch.focusedAt = 4800;
    expect(refuseActivation(watch, keyboard, 5000)).toMatch(/Hold on/);
    expect(refuseActivation(watch, keyboard, 4800 + MIN_VISIBLE_MS)).toBeNull();
  });
});
