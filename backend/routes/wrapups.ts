// After the call: an agent's wrap-up of a call (outcome, notes, follow-up), the organization's outcomes, the check the
// extension makes before a dial, and the admin routes for outcomes and the wrap-up-required setting.
import { Hono } from 'hono';
import { z } from 'zod';
import { newOutcomeSchema, outcomeChangeSchema, wrapUpRequestSchema, wrapUpSettingSchema } from '../../shared/api.js';
import type { AppDeps } from '../app.js';
import { ApiError } from '../http/api-error.js';
import { requireAdmin, type AdminEnv } from '../http/require-admin.js';
import { requireAgent, type AgentEnv } from '../http/require-agent.js';
import { validate } from '../http/validation.js';
import { cleanNotes } from '../http/wrap-up-notes.js';
import type { SaveWrapUpResult, StatusTaken } from '../store/call-store.js';

type SaveError = Extract<SaveWrapUpResult, { ok: false }>['error'];

const REFUSALS: Record<SaveError, [400 | 403 | 404 | 409, string]> = {
  'no-such-call': [404, 'There is no such call in your organization.'],
  'call-not-ended': [409, 'This call has not ended yet: wrap it up once it has.'],
  'not-your-call': [403, 'Only the agent who took this call can wrap it up.'],
  'not-the-author': [403, 'Only the agent who wrote this wrap-up can change it.'],
  'unknown-outcome': [400, 'That outcome is not one of your organization\'s outcomes: choose one from the list.'],
};

export function wrapUpRoutes(deps: AppDeps) {
  const { auth, store, live, logger, clock } = deps;
  return new Hono<AgentEnv>()
    .use('*', requireAgent(auth, store))
    .get('/outcomes', async (c) => c.json(await store.listCallOutcomes(c.get('agent').organizationId, false)))
    .get('/pending', async (c) => c.json(await store.pendingCallWrapUp(c.get('agent').id)))
    .post('/', validate('json', wrapUpRequestSchema), async (c) => {
      const body = c.req.valid('json');
      const agent = c.get('agent');
      const result = await store.saveCallWrapUp({
        agentId: agent.id,
        callId: body.callId ?? null,
        callSid: body.callSid ?? null,
        outcomeId: body.outcomeId,
        notes: cleanNotes(body.notes),
        followUpOn: body.followUpOn,
        now: clock.now(),
      });
      if (!result.ok) {
        const [status, message] = REFUSALS[result.error];
        logger.info('wrap-up.refused', { agentId: agent.id, callId: body.callId ?? null, reason: result.error });
        throw new ApiError(status, result.error, message);
      }
      logger.info('call.wrapped-up', { callId: result.call.id, agentId: agent.id, outcome: result.wrapUp.outcomeLabel, created: result.created });
      // Teammates' history shows the wrap-up as soon as it is saved.
      live.publish(agent.organizationId, { type: 'call', call: result.call });
      return c.json({ call: result.call }, result.created ? 201 : 200);
    });
}

const outcomeIdSchema = z.object({ id: z.uuid({ message: 'That is not the id of an outcome.' }) });

/** How a call result reads in a sentence. */
const RESULT_WORDS: Record<string, string> = { completed: 'answered', busy: 'busy', 'no-answer': 'unanswered', failed: 'failed', canceled: 'canceled' };

/** A result pre-selects one active outcome at most: the sentence says which one has it. */
const statusTaken = (t: StatusTaken) =>
  new ApiError(409, 'status-taken', `“${t.label}” is already pre-selected for ${RESULT_WORDS[t.status] ?? t.status} calls: take that result off “${t.label}” first.`);

export function adminOutcomeRoutes(deps: AppDeps) {
  const { store, logger } = deps;
  const by = (agentId: string | null) => agentId ?? 'command-line';
  // Per route, not use('*'): mounted under /api/admin, a catch-all would also run before other admin sub-apps.
  const admin = requireAdmin(deps);
  return new Hono<AdminEnv>()
    .get('/outcomes', admin, async (c) => c.json(await store.listCallOutcomes(c.get('admin').organizationId, true)))
    .post('/outcomes', admin, validate('json', newOutcomeSchema), async (c) => {
      const { organizationId, agentId } = c.get('admin');
      const result = await store.addCallOutcome(organizationId, c.req.valid('json'));
      if ('error' in result) {
        if (result.error === 'status-taken') throw statusTaken(result);
        throw new ApiError(409, result.error, 'Your organization already has an outcome with that name.');
      }
      logger.info('admin.outcome-added', { organizationId, outcomeId: result.outcome.id, by: by(agentId) });
      return c.json(result, 201);
    })
    .post('/outcomes/:id', admin, validate('param', outcomeIdSchema), validate('json', outcomeChangeSchema), async (c) => {
      const { organizationId, agentId } = c.get('admin');
      const result = await store.updateCallOutcome(organizationId, c.req.valid('param').id, c.req.valid('json'));
      if ('error' in result) {
        if (result.error === 'no-such-outcome') throw new ApiError(404, result.error, 'Your organization has no such outcome.');
        if (result.error === 'status-taken') throw statusTaken(result);
        throw new ApiError(409, result.error, 'Your organization already has an outcome with that name.');
      }
      logger.info('admin.outcome-changed', { organizationId, outcomeId: result.outcome.id, by: by(agentId) });
      return c.json(result);
    })
    .post('/wrap-up-setting', admin, validate('json', wrapUpSettingSchema), async (c) => {
      const { organizationId, agentId } = c.get('admin');
      const wrapUpRequired = await store.setWrapUpRequired(organizationId, c.req.valid('json').wrapUpRequired);
      logger.info('admin.wrap-up-setting', { organizationId, wrapUpRequired, by: by(agentId) });
      return c.json({ wrapUpRequired });
    });
}
