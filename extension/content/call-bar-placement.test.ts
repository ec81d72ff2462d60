// The call bar beside its number: right of it, below or above, whichever has room, inside the window, never over the number.
import { describe, expect, it } from 'vitest';
import { besideNumber } from './call-bar-placement.js';

const rect = (left: number, top: number, width = 110, height = 20) => ({ left, top, right: left + width, bottom: top + height });
const overlaps = (a: { left: number; top: number; right: number; bottom: number }, b: typeof a) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe('call bar placement', () => {
  it('sits to the right of a number with room there, so the rows below it stay readable', () => {
    expect(besideNumber(rect(200, 100), 300, 120, 1000, 700)).toEqual({ left: 318, top: 92 });
  });

  it('sits just below a number at the right edge, aligned with it', () => {
    expect(besideNumber(rect(800, 100), 300, 120, 1000, 700)).toEqual({ left: 692, top: 128 });
  });

  it('sits above a number near the bottom of the window, and never covers it', () => {
    const number = rect(700, 640);
    const at = besideNumber(number, 300, 120, 1000, 700)!;
    expect(at.top + 120).toBeLessThanOrEqual(number.top);
    expect(overlaps({ left: at.left, top: at.top, right: at.left + 300, bottom: at.top + 120 }, number)).toBe(false);
    // Kept inside the window on the right.
    expect(at.left + 300).toBeLessThanOrEqual(1000);
  });

  it('gives up (the caller then uses a corner) when the number is off screen or the window too small', () => {
    expect(besideNumber(rect(100, -50), 300, 120, 1000, 700)).toBeNull();
    expect(besideNumber(rect(100, 800), 300, 120, 1000, 700)).toBeNull();
    expect(besideNumber(rect(10, 60), 300, 120, 400, 200)).toBeNull();
    expect(besideNumber(rect(10, 60), 300, 120, 250, 700)).toBeNull();
  });
});
