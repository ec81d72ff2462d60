// The organization's call history, newest first, with cursor pagination; an agent ending their own call from the server.
import { Hono } from 'hono';
import { callsQuerySchema } from '../../shared/api.js';
import type { AppDeps } from '../app.js';
import { ApiError } from '../http/api-error.js';
import { requireAgent, type AgentEnv } from '../http/require-agent.js';
import { validate } from '../http/validation.js';
import type { CallCursor, CallStore } from '../store/call-store.js';
import type { Call } from '../../shared/api.js';
import { endCallForAgent, TelephonyUnavailableError } from '../calls/end-call.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function encodeCursor(cursor: CallCursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`).toString('base64url');
}

/** The created_at text PostgreSQL's JSON gives out (2026-11-24T12:00:20.123456+00:00), of a day that exists. */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,6})?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)$/;

function isTimestamp(text: string): boolean {
  const m = TIMESTAMP.exec(text);
  if (!m) return false;
  // Date.parse reads 2026-02-30 as March 2nd: the day must be one the month has.
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1970 && day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
}

function decodeCursor(value: string): CallCursor {
  const parts = Buffer.from(value, 'base64url').toString('utf8').split('|');
  const [createdAt, id] = parts;
  if (parts.length !== 2 || !createdAt || !id || !UUID.test(id) || !isTimestamp(createdAt)) {
    throw new ApiError(400, 'invalid-cursor', 'cursor is not one this server gave out. Start again without it.');
  }
  return { createdAt, id };
}

/** The calls with their wrap-ups (one query for the page), so history shows outcome, notes and author. */
async function withWrapUps(store: CallStore, organizationId: string, calls: Call[]): Promise<Call[]> {
  const wrapUps = new Map((await store.listCallWrapUps(organizationId, calls.map((c) => c.id))).map((w) => [w.callId, w]));
  return calls.map((c) => ({ ...c, wrapUp: wrapUps.get(c.id) ?? null }));
}

export function callRoutes(deps: AppDeps) {
  const { auth, store } = deps;
  return new Hono<AgentEnv>()
    .get('/', requireAgent(auth, store), validate('query', callsQuerySchema), async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const agent = c.get('agent');
    // One more than asked tells whether another page exists.
    const { calls, rawCreatedAt } = await store.listCalls(agent.organizationId, limit + 1, cursor ? decodeCursor(cursor) : null);
    const page = await withWrapUps(store, agent.organizationId, calls.slice(0, limit));
    const last = page.at(-1);
    const nextCursor = calls.length > limit && last ? encodeCursor({ createdAt: rawCreatedAt[limit - 1]!, id: last.id }) : null;
    return c.json({ calls: page, nextCursor });
  })
    // For a call the server has open that the agent's softphone no longer holds: the server hangs it up itself.
    .post('/:id/hangup', requireAgent(auth, store), async (c) => {
      const agent = c.get('agent');
      const id = c.req.param('id');
      const call = UUID.test(id) ? await store.getCall(id) : null;
      if (!call || call.assignedTo !== agent.id) throw new ApiError(404, 'no-such-call', 'You have no call with that id. It may have been another agent\'s.');
      try {
        const outcome = await endCallForAgent({ ...deps, source: deps.callControl }, agent.organizationId, call);
        return c.json(outcome, outcome.ended ? 200 : 202);
      } catch (error) {
        if (!(error instanceof TelephonyUnavailableError)) throw error;
        deps.logger.warn('call.end-failed', { callId: call.id, error: error.message });
        throw new ApiError(502, 'telephony-unavailable', 'The call could not be ended because the phone service did not answer. Try again in a moment.');
      }
    });
}
