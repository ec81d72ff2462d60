import { describe, expect, it } from 'vitest';
import { intersects } from './chip-placement.js';
import { placeCallBar, withChipZone } from './call-bar-placement.js';

const rect = (left: number, top: number, width = 110, height = 20) => ({ left, top, right: left + width, bottom: top + height });
const BAR = { width: 300, height: 120 };
const WINDOW = { width: 1000, height: 700 };
const barAt = (p: { left: number; top: number }) => rect(p.left, p.top, BAR.width, BAR.height);

describe('where the call bar sits', () => {
  it('sits right beside a lone number, top-aligned with it', () => {
    expect(placeCallBar(rect(200, 100), [], BAR, WINDOW)).toEqual({ left: 318, top: 92 });
  });

  it('in a list of numbers, keeps off every other number and the place its Call chip opens, so the next one stays clickable', () => {
    // A CRM list: a name column on the left, the numbers in a column at x = 400, one every 40 px.
    const rows = Array.from({ length: 12 }, (_, i) => rect(400, 60 + 40 * i));
    const called = rows[3]!;
    const at = placeCallBar(called, rows.filter((r) => r !== called), BAR, WINDOW);
    for (const other of rows) expect(intersects(barAt(at), withChipZone(other)), `bar ${JSON.stringify(at)} over ${JSON.stringify(other)}`).toBe(other === called ? intersects(barAt(at), withChipZone(called)) : false);
    expect(intersects(barAt(at), called)).toBe(false);
  });

  it('goes to a corner when nothing beside the number is clear, and never over the number itself', () => {
    const corner = rect(860, 650);
    const at = placeCallBar(corner, [], BAR, WINDOW);
    expect(intersects(barAt(at), corner)).toBe(false);
    expect(at.left + BAR.width).toBeLessThanOrEqual(WINDOW.width);
    expect(at.top).toBeGreaterThanOrEqual(0);
  });

  it('with the number elsewhere (another tab or frame), takes the corner covering the fewest numbers, bottom right first', () => {
    expect(placeCallBar(null, [], BAR, WINDOW)).toEqual({ left: 684, top: 564 });
    const inBottomRight = [rect(800, 620)];
    expect(placeCallBar(null, inBottomRight, BAR, WINDOW)).toEqual({ left: 16, top: 564 });
  });

  it('stays inside a window smaller than the bar would like', () => {
    const at = placeCallBar(rect(10, 10), [], BAR, { width: 320, height: 200 });
    expect(at.left).toBeGreaterThanOrEqual(8);
    expect(at.top).toBeGreaterThanOrEqual(8);
  });
});
