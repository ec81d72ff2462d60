// The agent's softphone says it is registered to receive calls (the Voice SDK Device's `registered`, or the simulated
// device's), and says so again every few minutes; inbound calls ring only agents whose registration is current.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { requireAgent, type AgentEnv } from '../http/require-agent.js';
import { validate } from '../http/validation.js';

/** A registration lasts this long unless renewed: a softphone that vanished without a word stops being rung. */
const SOFTPHONE_REGISTRATION_SECONDS = 15 * 60;

const registrationSchema = z.object({ registered: z.boolean({ message: 'Say whether the softphone is registered (true or false).' }) });

export function softphoneRoutes({ auth, store, clock }: AppDeps) {
  return new Hono<AgentEnv>().post('/registration', requireAgent(auth, store), validate('json', registrationSchema), async (c) => {
    const { registered } = c.req.valid('json');
    const until = registered ? new Date(clock.now().getTime() + SOFTPHONE_REGISTRATION_SECONDS * 1000) : null;
    await store.setSoftphoneRegistration(c.get('agent').id, until);
    return c.json({ registered, until: until?.toISOString() ?? null, renewAfterSeconds: Math.floor(SOFTPHONE_REGISTRATION_SECONDS / 3) });
  });
}
