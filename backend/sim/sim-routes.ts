// /api/sim: what the simulated softphone needs — place, hang up, digits, mute — and its call events over SSE.
import { Hono } from 'hono';
import { dialParamsSchema, simDigitsRequestSchema, simMuteRequestSchema, type SimDeviceEvent } from '../../shared/api.js';
import type { AppDeps } from '../app.js';
import { ApiError } from '../http/api-error.js';
import { streamEvents } from '../http/event-stream.js';
import { requireAgent, type AgentEnv } from '../http/require-agent.js';
import { validate } from '../http/validation.js';
import { identityForAgent } from '../twilio/agent-identity.js';
import { SimulatorError, type TwilioSimulator } from './twilio-simulator.js';

function asApiError(error: unknown): never {
  if (error instanceof SimulatorError) {
    throw new ApiError(error.code === 'busy' ? 409 : error.code === 'not-yours' ? 403 : 404, `sim-${error.code}`, error.message);
  }
  throw error;
}

/** Runs a simulator action, with its refusals as API errors. */
function simAction<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    return asApiError(error);
  }
}

export function simRoutes({ auth, store, config, serverClosing }: AppDeps, sim: TwilioSimulator) {
  const app = new Hono<AgentEnv>();
  app.use('*', requireAgent(auth, store, { allowQueryToken: true }));

  app.post('/calls', validate('json', dialParamsSchema), (c) => {
    const agent = c.get('agent');
    try {
      const { callSid } = sim.placeCall(agent.id, identityForAgent(agent.id), c.req.valid('json'));
      return c.json({ callSid }, 201);
    } catch (error) {
      return asApiError(error);
    }
  });

  app.post('/calls/:callSid/hangup', async (c) => {
    const status = await sim.hangUp(c.get('agent').id, c.req.param('callSid')).catch(asApiError);
    return c.json({ status });
  });

  app.post('/calls/:callSid/digits', validate('json', simDigitsRequestSchema), (c) => {
    simAction(() => sim.sendDigits(c.get('agent').id, c.req.param('callSid'), c.req.valid('json').digits));
    return c.body(null, 204);
  });

  app.post('/calls/:callSid/mute', validate('json', simMuteRequestSchema), (c) => {
    simAction(() => sim.mute(c.get('agent').id, c.req.param('callSid')));
    return c.body(null, 204);
  });

  app.get('/events', (c) =>
    streamEvents<SimDeviceEvent>(c, (push) => sim.subscribe(c.get('agent').id, (event) => push(event)), {
      heartbeatMs: config.eventStreams.heartbeatMs,
      maxQueue: config.eventStreams.maxQueue,
      endOn: (end) => serverClosing?.onClosing(() => end('server-closing')) ?? (() => undefined),
    }),
  );

  return app;
}
