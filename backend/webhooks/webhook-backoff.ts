// When a failed delivery is tried again: exponential backoff with jitter, up to an hour apart, until its retry window ends.

export const MAX_RETRY_DELAY_SECONDS = 3600;

/**
 * Seconds until attempt `attempt + 1` after `attempt` failed, or null when the retry window (from the event's creation)
 * is over. The delay doubles from `baseSeconds` and is drawn between half and all of it, so that endpoints coming back
 * are not hit by every retry at once; the last retry is at the window's end.
 */
export function retryDelaySeconds(attempt: number, baseSeconds: number, windowEndsInSeconds: number, random: () => number = Math.random): number | null {
  if (windowEndsInSeconds <= 0) return null;
  const ceiling = Math.min(baseSeconds * 2 ** Math.min(Math.max(attempt - 1, 0), 30), MAX_RETRY_DELAY_SECONDS);
  const delay = ceiling * (0.5 + random() * 0.5);
  return Math.min(delay, windowEndsInSeconds);
}
