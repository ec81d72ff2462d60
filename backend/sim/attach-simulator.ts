// Mounts the simulated Twilio (/api/sim) when no Twilio account is configured; returns how to stop it.
import type { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import { simInboundRoutes, simRecordingRoutes } from './sim-inbound-routes.js';
import { simRoutes } from './sim-routes.js';
import { createTwilioSimulator, type TwilioSimulator } from './twilio-simulator.js';

export function attachSimulator(deps: AppDeps, app: Hono, options: { timeScale?: number; onCreated?: (sim: TwilioSimulator) => void } = {}) {
  if (deps.config.telephony !== 'simulated') return undefined;
  const sim = createTwilioSimulator({ publicBaseUrl: deps.config.publicBaseUrl, creds: deps.creds, logger: deps.logger, timeScale: options.timeScale });
  app.route('/api/sim', simInboundRoutes(deps, sim));
  app.route('/api/sim', simRoutes(deps, sim));
  app.route('/api/sim-recordings', simRecordingRoutes(deps, sim));
  options.onCreated?.(sim);
  deps.logger.info('sim.ready', { timeScale: options.timeScale ?? 1 });
  return () => sim.close();
}
