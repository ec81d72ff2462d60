import { describe, expect, it } from 'vitest';
import { CHIP_GAP, placeChip } from './overlay.js';

const chip = { width: 140, height: 28 };
const viewport = { width: 1000, height: 700 };
const overlaps = (a: { left: number; top: number; right: number; bottom: number }, b: { left: number; top: number }) =>
  b.left < a.right && b.left + chip.width > a.left && b.top < a.bottom && b.top + chip.height > a.top;

describe('placeChip', () => {
  it('puts the chip to the right of the number, on its line, leaving the rows above and below uncovered', () => {
    const rect = { left: 200, top: 100, right: 320, bottom: 120 };
    const place = placeChip(rect, chip, viewport);
    expect(place).toEqual({ left: 320 + CHIP_GAP, top: 96 });
    expect(place.top + chip.height).toBeLessThanOrEqual(rect.bottom + 8);
  });

  it('puts it to the left when the number is at the right edge', () => {
    const rect = { left: 880, top: 100, right: 990, bottom: 120 };
    expect(placeChip(rect, chip, viewport).left).toBe(880 - CHIP_GAP - chip.width);
  });

  it('falls back to above, or below at the top of the viewport, when neither side has room', () => {
    const narrow = { width: 300, height: 700 };
    expect(placeChip({ left: 100, top: 100, right: 200, bottom: 120 }, chip, narrow).top).toBe(100 - chip.height - CHIP_GAP);
    expect(placeChip({ left: 100, top: 5, right: 200, bottom: 25 }, chip, narrow).top).toBe(25 + CHIP_GAP);
  });

  it('never covers the number and stays on screen', () => {
    for (const rect of [
      { left: 0, top: 0, right: 120, bottom: 20 },
      { left: 880, top: 680, right: 1000, bottom: 700 },
      { left: 450, top: 340, right: 560, bottom: 360 },
      { left: 10, top: 300, right: 990, bottom: 340 },
    ]) {
      const place = placeChip(rect, chip, viewport);
      expect(overlaps(rect, place)).toBe(false);
      expect(place.left).toBeGreaterThanOrEqual(0);
      expect(place.top).toBeGreaterThanOrEqual(0);
      expect(place.left + chip.width).toBeLessThanOrEqual(viewport.width);
      expect(place.top + chip.height).toBeLessThanOrEqual(viewport.height);
    }
  });
});
