// Streams events from a subscription as Server-Sent Events: a bounded queue (a slow reader is dropped, not buffered),
// a heartbeat, and an end the caller can trigger (token expired, session ended) with a last `end` event saying why.
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';

export type StreamEndReason = 'token-expired' | 'session-ended' | 'too-slow' | 'server-closing';

export interface EventStreamOptions {
  /** A comment line this often keeps proxies from closing an idle stream and notices a dead reader. */
  heartbeatMs: number;
  /** Events waiting to be written beyond this mean the reader does not keep up: the stream is ended. */
  maxQueue: number;
  /** Checked at each heartbeat: a reason to end the stream, or null (the token's expiry, read from the app's clock). */
  check?: () => StreamEndReason | null;
  /** Registers what ends the stream from outside (a revoked session); returns how to unregister. */
  endOn?: (end: (reason: StreamEndReason) => void) => () => void;
  /** Called once the stream is over, whatever ended it. */
  onClose?: (reason: StreamEndReason | 'client-gone') => void;
}

export function streamEvents<E extends { type: string }>(
  c: Context,
  subscribe: (push: (event: E) => void) => () => void,
  options: EventStreamOptions,
) {
  return streamSSE(c, async (stream) => {
    const queue: E[] = [];
    let wake: (() => void) | null = null;
    let ended: StreamEndReason | null = null;
    const end = (reason: StreamEndReason) => {
      ended ??= reason;
      wake?.();
      if (reason === 'too-slow') {
        // Its writes are stuck behind what it has not read: cut the connection rather than keep buffering for it.
        stream.abort();
        (c.env as { outgoing?: { destroy(): void } } | undefined)?.outgoing?.destroy();
      }
    };
    const unsubscribe = subscribe((event) => {
      if (ended) return;
      if (queue.length >= options.maxQueue) return end('too-slow');
      queue.push(event);
      wake?.();
    });
    const unregister = options.endOn?.(end) ?? (() => undefined);
    stream.onAbort(() => {
      unsubscribe();
      wake?.();
    });
    try {
      await stream.writeSSE({ event: 'ready', data: '{}' });
      while (!stream.aborted && !stream.closed && !ended) {
        const event = queue.shift();
        if (event) {
          await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
          continue;
        }
        let beat = false;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            beat = true;
            resolve();
          }, options.heartbeatMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
        if (!beat || stream.aborted) continue;
        const reason = options.check?.() ?? null;
        if (reason) end(reason);
        else if (queue.length === 0) await stream.write(': keep-alive\n\n');
      }
      // A slow reader gets no last word: writing to it is what it could not keep up with.
      if (ended && ended !== 'too-slow' && !stream.aborted) await stream.writeSSE({ event: 'end', data: JSON.stringify({ reason: ended }) });
    } finally {
      unsubscribe();
      unregister();
      options.onClose?.(ended ?? 'client-gone');
      if (!stream.closed) await stream.close();
    }
  });
}
