// Mounts the simulated Twilio (/api/sim) when no Twilio account is configured.
import type { Hono } from 'hono';
import type { AppDeps } from '../app.js';

export async function attachSimulator(deps: AppDeps, _app: Hono): Promise<void> {
  if (deps.config.telephony !== 'simulated') return;
  // The simulator arrives with the next change (issue 3).
}
