// The organization's call history, newest first, with cursor pagination.
import { Hono } from 'hono';
import { callsQuerySchema } from '../../shared/api.js';
import type { AppDeps } from '../app.js';
import { ApiError } from '../http/api-error.js';
import { requireAgent, type AgentEnv } from '../http/require-agent.js';
import { validate } from '../http/validation.js';
import type { CallCursor } from '../store/call-store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(cursor: CallCursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`).toString('base64url');
}

export function decodeCursor(value: string): CallCursor {
  const [createdAt, id] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  if (!createdAt || !id || !UUID.test(id) || Number.isNaN(Date.parse(createdAt))) {
    throw new ApiError(400, 'invalid-cursor', 'cursor is not one this server gave out. Start again without it.');
  }
  return { createdAt, id };
}

export function callRoutes({ auth, store }: AppDeps) {
  return new Hono<AgentEnv>().get('/', requireAgent(auth, store), validate('query', callsQuerySchema), async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const agent = c.get('agent');
    // One more than asked tells whether another page exists.
    const { calls, rawCreatedAt } = await store.listCalls(agent.organizationId, limit + 1, cursor ? decodeCursor(cursor) : null);
    const page = calls.slice(0, limit);
    const last = page.at(-1);
    const nextCursor = calls.length > limit && last ? encodeCursor({ createdAt: rawCreatedAt[limit - 1]!, id: last.id }) : null;
    return c.json({ calls: page, nextCursor });
  });
}
