// Where the call bar sits next to the number a call came from: to its right, else below, else above; never on it.
/**
 * Where the bar sits next to a number on screen: to its right (top-aligned, so the rows below stay readable), else below
 * it, else above it, inside the window; null when none fits.
 */
export function besideNumber(number: { left: number; top: number; right: number; bottom: number }, width: number, height: number, viewportWidth: number, viewportHeight: number): { left: number; top: number } | null {
  const GAP = 8;
  const MARGIN = 8;
  const onScreen = number.bottom > 0 && number.top < viewportHeight && number.right > 0 && number.left < viewportWidth;
  if (!onScreen || width + 2 * MARGIN > viewportWidth) return null;
  const top = Math.max(MARGIN, Math.min(viewportHeight - height - MARGIN, number.top - GAP));
  if (number.right + GAP + width + MARGIN <= viewportWidth && top + height + MARGIN <= viewportHeight) return { left: number.right + GAP, top };
  const left = Math.max(MARGIN, Math.min(viewportWidth - width - MARGIN, number.left));
  if (number.bottom + GAP + height + MARGIN <= viewportHeight) return { left, top: number.bottom + GAP };
  if (number.top - GAP - height >= MARGIN) return { left, top: number.top - GAP - height };
  return null;
}
