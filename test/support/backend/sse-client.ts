// Reads a Server-Sent Events stream over real HTTP and lets a test wait for the event it expects.
import { createParser } from 'eventsource-parser';
export interface SseClient<E> {
  events: E[];
  /** Every event after `ready` as sent: its name, its id (if any) and its data, `resync` and `end` included. */
  raw: Array<{ event: string; id: string | undefined; data: string }>;
  next(predicate: (event: E) => boolean, timeoutMs?: number): Promise<E>;
  close(): void;
}

export async function openSse<E>(url: string, token: string, options: { lastEventId?: string } = {}): Promise<SseClient<E>> {
  const controller = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  const res = await fetch(url, { headers, signal: controller.signal });
  if (!res.ok || !res.body) throw new Error(`SSE ${url} answered ${res.status}`);
  const events: E[] = [];
  const raw: SseClient<E>['raw'] = [];
  const waiters: Array<{ predicate: (e: E) => boolean; resolve: (e: E) => void; seen: number }> = [];
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let readyResolve!: () => void;
  const ready = new Promise<void>((r) => (readyResolve = r));
  // The same well-kept parser as the extension's: every data: line, CR LF however it is cut, ids.
  const parser = createParser({
    onEvent: ({ event, data, id }) => {
      if (event === 'ready') return readyResolve();
      raw.push({ event: event ?? 'message', id, data });
      if (!data || event === 'resync' || event === 'end') return;
      const parsed = JSON.parse(data) as E;
      events.push(parsed);
      for (const w of [...waiters]) if (w.predicate(parsed)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(parsed);
      }
    },
  });
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
    } catch {
      // Aborted by close().
    }
  })();
  await ready;
  return {
    events,
    raw,
    next(predicate, timeoutMs = 10_000) {
      const found = events.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`No matching event within ${timeoutMs} ms; saw ${JSON.stringify(events)}`)), timeoutMs);
        waiters.push({ predicate, seen: events.length, resolve: (e) => (clearTimeout(timer), resolve(e)) });
      });
    },
    close: () => controller.abort(),
  };
}
