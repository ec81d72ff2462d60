// The one error shape of the API ({ error: { code, message } }) and the handler that turns any throw into it.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiErrorCode } from '../../shared/api.js';
import { AuthError, type AuthErrorCode } from '../auth/auth-service.js';
import type { Logger } from '../logger.js';

export class ApiError extends HTTPException {
  constructor(status: ContentfulStatusCode, readonly code: ApiErrorCode, message: string) {
    super(status, { message });
  }
}

export function errorBody(code: ApiErrorCode, message: string) {
  return { error: { code, message } };
}

const DEFAULT_CODES: Partial<Record<number, ApiErrorCode>> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
};

/** The domain errors' HTTP answers, in one table: each code is sent as it is, with this status. */
export const AUTH_ERROR_STATUS: Record<AuthErrorCode, ContentfulStatusCode> = {
  'invalid-credentials': 401,
  'invalid-token': 401,
  'session-ended': 401,
  'invalid-refresh-token': 401,
  'not-an-agent': 403,
  'auth-unavailable': 503,
};

export function handleError(logger: Logger) {
  return (err: Error, c: Context) => {
    if (err instanceof ApiError) return c.json(errorBody(err.code, err.message), err.status);
    if (err instanceof AuthError) return c.json(errorBody(err.code, err.message), AUTH_ERROR_STATUS[err.code]);
    if (err instanceof HTTPException) {
      const status = err.status;
      // Hono's JSON validator on a body that does not parse.
      if (status === 400 && /^Malformed JSON/i.test(err.message)) {
        return c.json(errorBody('invalid-json', 'The request body is not valid JSON.'), 400);
      }
      return c.json(errorBody(DEFAULT_CODES[status] ?? 'error', err.message || 'The request could not be handled.'), status);
    }
    logger.error('request.failed', { method: c.req.method, path: c.req.path, error: err.message });
    return c.json(errorBody('internal', 'Something went wrong on the server. Try again in a moment.'), 500);
  };
}
