// Reads a Server-Sent Events stream over fetch (so the bearer token goes in a header), one callback per event.
import { backendUrlFor, BackendError, unreachableMessage } from './backend-client.js';

export interface SseEvent {
  event: string;
  data: string;
}

export interface SseRequest {
  backendUrl: string;
  path: string;
  token: string;
  signal: AbortSignal;
  onOpen?: () => void;
  onEvent: (event: SseEvent) => void;
  fetchImpl?: typeof fetch;
}

/** Resolves when the server closes the stream; rejects with a BackendError when it cannot be opened. */
export async function readEventStream(req: SseRequest): Promise<void> {
  const fetchImpl = req.fetchImpl ?? fetch;
  let response: Response;
  try {
    response = await fetchImpl(backendUrlFor(req.backendUrl, req.path), {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${req.token}` },
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

/** Feeds chunks of SSE text; calls onEvent for each complete event (comments and retry lines ignored). */
export function createSseParser(onEvent: (event: SseEvent) => void): (chunk: string) => void {
  let buffer = '';
  let eventName = '';
  let data: string[] = [];
  return (chunk) => {
    buffer += chunk;
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (data.length > 0) onEvent({ event: eventName || 'message', data: data.join('\n') });
        eventName = '';
        data = [];
      } else if (line.startsWith(':')) {
        continue;
      } else {
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') eventName = value;
        else if (field === 'data') data.push(value);
      }
    }
  };
}
