// Reads a Server-Sent Events stream over fetch (so the bearer token goes in a header), one callback per event.
import { createParser } from 'eventsource-parser';
import { backendUrlFor, BackendError, unreachableMessage } from './backend-client.js';

export interface SseEvent {
  event: string;
  data: string;
  /** The event's id, when the server gives one: sent back as Last-Event-ID on the next connection. */
  id?: string;
}

export interface SseRequest {
  backendUrl: string;
  path: string;
  token: string;
  signal: AbortSignal;
  onOpen?: () => void;
  onEvent: (event: SseEvent) => void;
  /** The id of the last event seen on an earlier connection, so the server can send what was missed. */
  lastEventId?: string;
  fetchImpl?: typeof fetch;
}

/** What the agent is told while the backend restarts: it said so as it closed the stream. */
export const BACKEND_RESTARTING_MESSAGE = 'The backend is restarting. This reconnects by itself when it is back.';

/** The last `end` event's reason, when the server said why it closed the stream (token-expired, server-closing…). */
export function endReason(event: SseEvent): string | null {
  if (event.event !== 'end') return null;
  try {
    const reason = (JSON.parse(event.data) as { reason?: unknown }).reason;
    return typeof reason === 'string' ? reason : null;
  } catch {
    return null;
  }
}

/** Resolves when the server closes the stream; rejects with a BackendError when it cannot be opened. */
export async function readEventStream(req: SseRequest): Promise<void> {
  const fetchImpl = req.fetchImpl ?? fetch;
  let response: Response;
  try {
    response = await fetchImpl(backendUrlFor(req.backendUrl, req.path), {
      headers: {
        accept: 'text/event-stream',
        authorization: `Bearer ${req.token}`,
        ...(req.lastEventId !== undefined ? { 'last-event-id': req.lastEventId } : {}),
      },
      signal: req.signal,
    });
  } catch {
    if (req.signal.aborted) return;
    throw new BackendError(unreachableMessage(req.backendUrl), null, null, 'check-backend');
  }
  if (response.status === 401) throw new BackendError('Sign in to call.', 401, null, 'sign-in');
  if (!response.ok || !response.body) {
    throw new BackendError(`The backend's event stream ${req.path} failed (HTTP ${response.status}).`, response.status, null, null);
  }
  req.onOpen?.();
  const parser = createSseParser(req.onEvent);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser(value);
    }
  } catch (error) {
    if (!req.signal.aborted) throw error;
  }
}

/**
 * Feeds chunks of SSE text; calls onEvent for each complete event. eventsource-parser follows the spec's line rules,
 * a CR LF split across two chunks included (reading "\r" then "\n" as two line ends dropped events before).
 */
export function createSseParser(onEvent: (event: SseEvent) => void): (chunk: string) => void {
  const parser = createParser({
    onEvent: (e) => onEvent({ event: e.event ?? 'message', data: e.data, ...(e.id !== undefined ? { id: e.id } : {}) }),
  });
  return (chunk) => parser.feed(chunk);
}
