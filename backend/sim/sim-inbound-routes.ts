// Inbound calls in simulated mode: the simulated device answers or declines a ringing call (/api/sim/calls/:sid/answer,
// /decline), admins and the command line place one (/api/sim/incoming), and the voicemails are served as Twilio's
// Recording resource serves them, to the account's credentials only (/api/sim-recordings/:sid).
import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { simIncomingRequestSchema } from '../../shared/api.js';
import type { AppDeps } from '../app.js';
import { ApiError } from '../http/api-error.js';
import { requireAdmin, type AdminEnv } from '../http/require-admin.js';
import { requireAgent, type AgentEnv } from '../http/require-agent.js';
import { validate } from '../http/validation.js';
import { SimulatorError, type TwilioSimulator } from './twilio-simulator.js';

function asApiError(error: unknown): never {
  if (error instanceof SimulatorError) {
    throw new ApiError(error.code === 'busy' ? 409 : error.code === 'not-yours' ? 403 : 404, `sim-${error.code}`, error.message);
  }
  throw error;
}

/** The organization's number a simulated call goes to: the one asked for (if it is theirs), else their default. */
export async function incomingTarget(deps: Pick<AppDeps, 'store'>, organizationId: string, to: string | undefined): Promise<string> {
  const numbers = await deps.store.listPhoneNumbers(organizationId);
  const target = to ? numbers.find((n) => n.e164 === to) : (numbers.find((n) => n.isDefault) ?? numbers[0]);
  if (!target) {
    throw new ApiError(404, 'no-such-number', to
      ? `${to} is not one of this organization's numbers. Add it first with npm run numbers:add.`
      : 'This organization has no phone number to call. Add one with npm run numbers:add.');
  }
  return target.e164;
}

export function simInboundRoutes(deps: AppDeps, sim: TwilioSimulator) {
  const app = new Hono();
  const device = new Hono<AgentEnv>();
  const agent = requireAgent(deps.auth, deps.store);
  device.post('/calls/:callSid/answer', agent, (c) => {
    try {
      sim.answerIncoming(c.get('agent').id, c.req.param('callSid'));
    } catch (error) {
      asApiError(error);
    }
    return c.body(null, 204);
  });
  device.post('/calls/:callSid/decline', agent, (c) => {
    try {
      sim.declineIncoming(c.get('agent').id, c.req.param('callSid'));
    } catch (error) {
      asApiError(error);
    }
    return c.body(null, 204);
  });

  const admin = new Hono<AdminEnv>();
  admin.post('/incoming', requireAdmin(deps), validate('json', simIncomingRequestSchema), async (c) => {
    const { from, to } = c.req.valid('json');
    const target = await incomingTarget(deps, c.get('admin').organizationId, to);
    const { callSid } = sim.placeIncomingCall(from, target);
    return c.json({ callSid, from, to: target }, 201);
  });

  app.route('/', admin);
  app.route('/', device);
  return app;
}

export function simRecordingRoutes({ creds }: AppDeps, sim: TwilioSimulator) {
  const expected = Buffer.from(`Basic ${Buffer.from(`${creds.apiKey}:${creds.apiSecret}`).toString('base64')}`);
  return new Hono().get('/:file', (c) => {
    const given = Buffer.from(c.req.header('authorization') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ApiError(401, 'unauthorized', 'Recordings are served to the account\'s API key only.');
    }
    const sid = /^(RE[0-9a-f]{32})(?:\.wav)?$/.exec(c.req.param('file'))?.[1];
    const audio = sid ? sim.recording(sid) : undefined;
    if (!audio) throw new ApiError(404, 'no-such-recording', 'There is no recording with that SID.');
    return new Response(new Uint8Array(audio), { headers: { 'content-type': 'audio/wav', 'content-length': String(audio.length) } });
  });
}
