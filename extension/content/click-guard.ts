// Decides whether an activation of the Call chip is a person's deliberate act: shown, unmoved and unobscured long enough.

/**
 * How long the chip must have been on screen, unmoved and unobscured, before it accepts a click or a key. Chrome's own
 * permission prompts and download bubble ignore input for about 500 ms after they appear (its input-protection delay)
 * for the same reason: a click that lands sooner was aimed at whatever was there before. A person needs longer than
 * this anyway: seeing the chip appear (~250 ms reaction time) and moving the pointer onto it (a few hundred ms more).
 * The hostile-pages e2e suite shows a person's hover, look and click still dials in one click.
 */
export const MIN_VISIBLE_MS = 500;

export interface ChipWatch {
  /** When the chip was last shown or moved (performance.now()). */
  shownAt: number;
  /** Since when the browser has reported the chip continuously visible and unoccluded (IntersectionObserver v2); null when not. */
  visibleSince: number | null;
  /** Whether a real pointer moved onto the chip from outside it after it was shown (a chip that appears under a resting pointer has not). */
  pointerEntered: boolean;
  /** When keyboard focus reached the chip, if it did. */
  focusedAt: number | null;
  /** The last activation refused: every refusal restarts the wait, so a stream of clicks or keys never gets through. */
  refusedAt: number | null;
}

export function newChipWatch(now: number): ChipWatch {
  return { shownAt: now, visibleSince: null, pointerEntered: false, focusedAt: null, refusedAt: null };
}

export type Activation = { kind: 'pointer' } | { kind: 'keyboard' };

/** Why an activation is refused, as a sentence for the agent; null when it may dial. */
export function refuseActivation(watch: ChipWatch, activation: Activation, now: number): string | null {
  if (watch.visibleSince === null) return 'The Call button was covered or hidden, so nothing was dialled.';
  const since = Math.max(watch.shownAt, watch.visibleSince, watch.refusedAt ?? -Infinity, activation.kind === 'keyboard' ? (watch.focusedAt ?? Infinity) : -Infinity);
  if (activation.kind === 'pointer' && !watch.pointerEntered) return 'The Call button appeared under the pointer; move onto it and click again.';
  if (activation.kind === 'keyboard' && watch.focusedAt === null) return 'The Call button was not focused from the keyboard.';
  if (!(now - since >= MIN_VISIBLE_MS)) return 'Hold on: read the number, then click Call again.';
  return null;
}
