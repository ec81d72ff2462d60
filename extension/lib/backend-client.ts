// Calls the backend's JSON routes: base URL, bearer token, zod-checked answers, and failures as sentences.
import type { z } from 'zod';
import { apiErrorSchema, type ApiErrorCode } from '../../shared/api.js';
import type { CallErrorAction } from '../protocol/softphone.js';

export class BackendError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string | null,
    readonly action: CallErrorAction,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

export interface BackendRequest<T> {
  backendUrl: string;
  path: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  token?: string | null;
  body?: unknown;
  schema: z.ZodType<T>;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
}

/** Joins the configured backend URL and a route path, tolerating a trailing slash. */
export function backendUrlFor(backendUrl: string, path: string): string {
  return `${backendUrl.replace(/\/+$/, '')}${path}`;
}

export function unreachableMessage(backendUrl: string): string {
  return `Can't reach the backend at ${backendUrl}. Check that it is running and that Options has the right address.`;
}

export async function requestJson<T>(req: BackendRequest<T>): Promise<T> {
  const fetchImpl = req.fetchImpl ?? fetch;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  if (req.token) headers.authorization = `Bearer ${req.token}`;
  let response: Response;
  try {
    response = await fetchImpl(backendUrlFor(req.backendUrl, req.path), {
      method: req.method ?? (req.body === undefined ? 'GET' : 'POST'),
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: req.signal,
    });
  } catch (error) {
    if (req.signal?.aborted) throw error;
    throw new BackendError(unreachableMessage(req.backendUrl), null, null, 'check-backend');
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok) throw errorFromResponse(response.status, json, req.backendUrl);
  const parsed = req.schema.safeParse(json);
  if (!parsed.success) {
    throw new BackendError(
      `The backend at ${req.backendUrl} answered ${req.path} in a form this extension does not understand; check that both are up to date.`,
      response.status,
      null,
      'check-backend',
    );
  }
  return parsed.data;
}

function errorFromResponse(status: number, json: unknown, backendUrl: string): BackendError {
  const parsed = apiErrorSchema.safeParse(json);
  const code = parsed.success ? parsed.data.error.code : null;
  const said = parsed.success ? parsed.data.error.message.trim() : '';
  if (status === 401) {
    return new BackendError(said && code === ('invalid-credentials' satisfies ApiErrorCode) ? sentence(said) : 'Sign in to call.', status, code, 'sign-in');
  }
  if (said) return new BackendError(sentence(said), status, code, null);
  return new BackendError(`The backend at ${backendUrl} failed (HTTP ${status}); try again in a moment.`, status, code, null);
}

function sentence(text: string): string {
  const first = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
