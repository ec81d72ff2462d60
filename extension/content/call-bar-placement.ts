// Where the call bar sits: beside the number the call came from, on no other number on screen nor where its Call chip
// would open (so the next number stays clickable), else in the corner that covers the fewest numbers.
import { intersect, type Rect, type Size } from './chip-placement.js';

const GAP = 8;
const MARGIN = 8;
const CORNER = 16;
/** Room a number's Call chip may take around it (full chip beside it, or above/below it); kept clear of the bar. */
const CHIP_ZONE = { side: 170, above: 32, below: 32 };

/** A number on screen with the room its chip takes. */
export const withChipZone = (r: Rect): Rect => ({ left: r.left - CHIP_ZONE.side, top: r.top - CHIP_ZONE.above, right: r.right + CHIP_ZONE.side, bottom: r.bottom + CHIP_ZONE.below });

const area = (r: Rect | null) => (r ? (r.right - r.left) * (r.bottom - r.top) : 0);

/**
 * The bar's top-left corner. Near the call's number (right of it, top-aligned; left; below; above) when one of those
 * covers neither that number nor any other number's zone; otherwise the corner (bottom right first) covering least.
 * `number` is null when the call's number is not on this screen (another frame or tab, scrolled away, gone).
 */
export function placeCallBar(number: Rect | null, others: readonly Rect[], bar: Size, viewport: Size): { left: number; top: number } {
  const inside = (left: number, top: number) => ({
    left: Math.max(MARGIN, Math.min(viewport.width - bar.width - MARGIN, left)),
    top: Math.max(MARGIN, Math.min(viewport.height - bar.height - MARGIN, top)),
  });
  const box = (p: { left: number; top: number }): Rect => ({ left: p.left, top: p.top, right: p.left + bar.width, bottom: p.top + bar.height });
  const zones = others.map(withChipZone);
  const covered = (p: { left: number; top: number }) => zones.reduce((sum, z) => sum + area(intersect(box(p), z)), 0);
  const onScreen = number !== null && number.bottom > 0 && number.top < viewport.height && number.right > 0 && number.left < viewport.width;
  if (onScreen) {
    const near = [
      inside(number.right + GAP, number.top - GAP),
      inside(number.left - GAP - bar.width, number.top - GAP),
      inside(number.left, number.bottom + GAP),
      inside(number.left, number.top - GAP - bar.height),
    ];
    const fits = near.find((p) => !intersect(box(p), number) && covered(p) === 0);
    if (fits) return fits;
  }
  const corners = [
    inside(viewport.width - CORNER - bar.width, viewport.height - CORNER - bar.height),
    inside(CORNER, viewport.height - CORNER - bar.height),
    inside(viewport.width - CORNER - bar.width, CORNER),
    inside(CORNER, CORNER),
  ];
  // The call's own number is never covered while a corner clear of it exists; then as few other numbers as can be.
  const cost = (p: { left: number; top: number }) => (onScreen && intersect(box(p), number) ? Number.MAX_SAFE_INTEGER : covered(p));
  return corners.reduce((best, p) => (cost(p) < cost(best) ? p : best), corners[0]!);
}
