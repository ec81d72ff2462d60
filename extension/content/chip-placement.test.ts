import { describe, expect, it } from 'vitest';
import { CHIP_GAP, intersects, lineBoxes, placeChip, type Rect } from './chip-placement.js';

const sizes = { full: { width: 140, height: 24 }, compact: { width: 24, height: 24 } };
const viewport = { width: 1000, height: 700 };
const boxOf = (p: { left: number; top: number; compact: boolean }): Rect => {
  const s = p.compact ? sizes.compact : sizes.full;
  return { left: p.left, top: p.top, right: p.left + s.width, bottom: p.top + s.height };
};
const freeExcept = (...taken: Rect[]) => (r: Rect) => taken.every((t) => !intersects(t, r));

describe('placeChip', () => {
  it('puts the chip to the right of the number, on its line, when nothing is there', () => {
    const line = { left: 200, top: 100, right: 320, bottom: 120 };
    expect(placeChip([line], sizes, viewport, () => true)).toEqual({ left: 320 + CHIP_GAP, top: 98, compact: false });
  });

  it('goes left when the right holds text (the next number of a signature), and icon-only when only a little room is free', () => {
    const line = { left: 200, top: 100, right: 320, bottom: 120 };
    const next = { left: 340, top: 100, right: 460, bottom: 120 };
    expect(placeChip([line], sizes, viewport, freeExcept(next)).left).toBe(200 - CHIP_GAP - 140);
    const label = { left: 100, top: 100, right: 196, bottom: 120 };
    const tight = placeChip([line], sizes, viewport, freeExcept({ left: 350, top: 100, right: 460, bottom: 120 }, label));
    expect(tight).toEqual({ left: 324, top: 98, compact: true });
  });

  it('goes above or below, sliding along that line to a free spot, when both sides are taken', () => {
    const line = { left: 200, top: 100, right: 320, bottom: 120 };
    const left = { left: 0, top: 100, right: 196, bottom: 120 };
    const right = { left: 324, top: 100, right: 1000, bottom: 120 };
    const rowAbove = { left: 180, top: 70, right: 330, bottom: 94 };
    const place = placeChip([line], sizes, viewport, freeExcept(left, right, rowAbove));
    expect(place.compact).toBe(false);
    const box = boxOf(place);
    for (const t of [left, right, rowAbove, line]) expect(intersects(box, t)).toBe(false);
  });

  it('uses every line of a number that wraps: right of its last line, never over any of it', () => {
    const lines = [
      { left: 900, top: 100, right: 990, bottom: 120 },
      { left: 10, top: 120, right: 60, bottom: 140 },
    ];
    const place = placeChip(lines, sizes, viewport, () => true);
    expect(place).toEqual({ left: 60 + CHIP_GAP, top: 118, compact: false });
  });

  it('never covers the number and stays on screen, even when nothing is free', () => {
    for (const line of [
      { left: 0, top: 0, right: 120, bottom: 20 },
      { left: 880, top: 680, right: 1000, bottom: 700 },
      { left: 450, top: 340, right: 560, bottom: 360 },
      { left: 10, top: 300, right: 990, bottom: 340 },
    ]) {
      for (const free of [() => true, () => false]) {
        const box = boxOf(placeChip([line], sizes, viewport, free));
        expect(intersects(box, line)).toBe(false);
        expect(box.left).toBeGreaterThanOrEqual(0);
        expect(box.top).toBeGreaterThanOrEqual(0);
        expect(box.right).toBeLessThanOrEqual(viewport.width);
        expect(box.bottom).toBeLessThanOrEqual(viewport.height);
      }
    }
  });
});

describe('lineBoxes', () => {
  it('joins the pieces of a number split across elements into one box per line', () => {
    const pieces = [
      { left: 100, top: 10, right: 140, bottom: 27 },
      { left: 140, top: 10, right: 144, bottom: 27 },
      { left: 144, top: 11, right: 210, bottom: 27 },
      { left: 10, top: 30, right: 60, bottom: 47 },
    ];
    expect(lineBoxes(pieces, { left: 0, top: 0, right: 1000, bottom: 700 })).toEqual([
      { left: 100, top: 10, right: 210, bottom: 27 },
      { left: 10, top: 30, right: 60, bottom: 47 },
    ]);
  });

  it('cuts the number to the box it is seen in (a cell truncated with an ellipsis)', () => {
    expect(lineBoxes([{ left: 100, top: 10, right: 300, bottom: 27 }], { left: 90, top: 0, right: 180, bottom: 700 })).toEqual([{ left: 100, top: 10, right: 180, bottom: 27 }]);
    expect(lineBoxes([{ left: 200, top: 10, right: 300, bottom: 27 }], { left: 0, top: 0, right: 180, bottom: 700 })).toEqual([]);
  });
});
