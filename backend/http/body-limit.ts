// The request body limit, attached by each sub-app that reads bodies (app.ts) and by the demo's routes.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorBody } from './api-error.js';

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Refuses bodies over MAX_BODY_BYTES with 413. A declared Content-Length (without Transfer-Encoding; Node's parser then
 * reads exactly that many bytes) is checked from the header alone, as hono's bodyLimit does, but without touching
 * `c.req.raw.body`, which on @hono/node-server turns the light request into a full web Request and stream for every
 * request; anything else (chunked bodies) goes through hono's bodyLimit, which counts the bytes as they arrive.
 */
export function requestBodyLimit(): MiddlewareHandler {
  const tooLarge = (c: Context) => c.json(errorBody('payload-too-large', `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`), 413);
  const counting = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (!/^\d+$/.test(length.trim())) return counting(c, next);
      return Number(length.trim()) > MAX_BODY_BYTES ? tooLarge(c) : next();
    }
    return counting(c, next);
  };
}
