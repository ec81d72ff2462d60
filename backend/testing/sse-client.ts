// Reads a Server-Sent Events stream over real HTTP and lets a test wait for the event it expects.
export interface SseClient<E> {
  events: E[];
  next(predicate: (event: E) => boolean, timeoutMs?: number): Promise<E>;
  close(): void;
}

export async function openSse<E>(url: string, token: string): Promise<SseClient<E>> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: controller.signal });
  if (!res.ok || !res.body) throw new Error(`SSE ${url} answered ${res.status}`);
  const events: E[] = [];
  const waiters: Array<{ predicate: (e: E) => boolean; resolve: (e: E) => void; seen: number }> = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = res.body.getReader();
  let readyResolve!: () => void;
  const ready = new Promise<void>((r) => (readyResolve = r));
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event === 'ready') readyResolve();
          else if (data) {
            const parsed = JSON.parse(data) as E;
            events.push(parsed);
            for (const w of [...waiters]) if (w.predicate(parsed)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(parsed);
            }
          }
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  await ready;
  return {
    events,
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
