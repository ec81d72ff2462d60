// Streams events from a subscription as Server-Sent Events: a bounded queue (a slow reader is dropped, not buffered),
// a heartbeat, ids for Last-Event-ID resume, and an end the caller can trigger (token expired, session ended, the
// server shutting down) with a last `end` event saying why.
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';

export type StreamEndReason = 'token-expired' | 'session-ended' | 'too-slow' | 'server-closing';

export interface EventStreamOptions<E = unknown> {
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
  /**
   * Written right after `ready`, before anything new: the events a reconnecting reader missed, or a `resync` event
   * (name and data) telling it to reload what it shows.
   */
  replay?: Array<{ event: E; id?: string }> | { resync: true };
}

type Queued<E> = { event: E; id?: string };

export function streamEvents<E extends { type: string }>(
  c: Context,
  subscribe: (push: (event: E, id?: string) => void) => () => void,
  options: EventStreamOptions<E>,
) {
  return streamSSE(c, async (stream) => {
    const queue: Array<Queued<E>> = [];
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
    const unsubscribe = subscribe((event, id) => {
      if (ended) return;
      if (queue.length >= options.maxQueue) return end('too-slow');
      queue.push({ event, id });
      wake?.();
    });
    // What was missed goes before anything that arrives from now on.
    if (Array.isArray(options.replay)) queue.unshift(...options.replay);
    const unregister = options.endOn?.(end) ?? (() => undefined);
    stream.onAbort(() => {
      unsubscribe();
      wake?.();
    });
    try {
      await stream.writeSSE({ event: 'ready', data: '{}' });
      if (options.replay && !Array.isArray(options.replay)) await stream.writeSSE({ event: 'resync', data: '{}' });
      while (!stream.aborted && !stream.closed && !ended) {
        const next = queue.shift();
        if (next) {
          await stream.writeSSE({ event: next.event.type, data: JSON.stringify(next.event), ...(next.id ? { id: next.id } : {}) });
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
