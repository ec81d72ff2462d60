// The event-stream reader keeps every event whole however the bytes are cut into chunks.
import { describe, expect, it } from 'vitest';
import { createSseParser, readEventStream, type SseEvent } from './sse-stream.js';

const STREAM = 'event: call\r\nid: 7\r\ndata: {"a":1}\r\n\r\n: heartbeat\r\n\r\nevent: presence\r\ndata: line one\r\ndata: line two\r\n\r\n';

function parseInChunks(text: string, cuts: number[]): SseEvent[] {
  const events: SseEvent[] = [];
  const feed = createSseParser((e) => events.push(e));
  let at = 0;
  for (const cut of [...cuts, text.length]) {
    feed(text.slice(at, cut));
    at = cut;
  }
  return events;
}

describe('createSseParser', () => {
  const whole = [
    { event: 'call', data: '{"a":1}', id: '7' },
    { event: 'presence', data: 'line one\nline two' },
  ];

  it('reads a stream fed at once', () => {
    expect(parseInChunks(STREAM, [])).toEqual(whole);
  });

  it('reads a CR LF split across two chunks as one line end', () => {
    const crlf = STREAM.indexOf('\r\n\r\n') + 1;
    expect(parseInChunks(STREAM, [crlf])).toEqual(whole);
    expect(parseInChunks(STREAM, [STREAM.indexOf('\r') + 1])).toEqual(whole);
  });

  it('reads the same events whatever the chunk boundaries', () => {
    for (let cut = 1; cut < STREAM.length; cut++) expect(parseInChunks(STREAM, [cut])).toEqual(whole);
  });
});

describe('readEventStream', () => {
  it('sends the last event id it was given when it reconnects', async () => {
    let sent: Headers | null = null;
    const fetchImpl = (async (_url: string, init?: RequestInit) => {
      sent = new Headers(init?.headers);
      return new Response('event: ready\ndata: {}\n\n', { headers: { 'content-type': 'text/event-stream' } });
    }) as unknown as typeof fetch;
    const events: SseEvent[] = [];
    await readEventStream({ backendUrl: 'http://127.0.0.1:3003', path: '/api/events', token: 't', lastEventId: '41', signal: new AbortController().signal, onEvent: (e) => events.push(e), fetchImpl });
    expect(sent!.get('last-event-id')).toBe('41');
    expect(events).toEqual([{ event: 'ready', data: '{}' }]);
  });
});
