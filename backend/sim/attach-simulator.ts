// Mounts the simulated Twilio (/api/sim) when no Twilio account is configured; returns how to stop it.
import type { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import { simulatedCallStatusSource } from '../calls/simulated-call-status.js';
import type { StartOptions } from '../server.js';
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

/**
 * startBackend's options for simulated mode, in one place for the server, the tests and the benches: the simulator's
 * routes (and the demo page, when given) and the simulator as the telephony side the reconciler asks and the
 * server-side hang-up uses, as Twilio's REST API is in Twilio mode.
 */
export function simulatedTelephony(
  options: { timeScale?: number; mountDemoPage?: (app: Hono) => void; onCreated?: (sim: TwilioSimulator, deps: AppDeps, app: Hono) => void } = {},
): Required<Pick<StartOptions, 'extend' | 'callStatusSource'>> {
  let sim: TwilioSimulator | undefined;
  return {
    extend: (deps, app) => {
      if (deps.config.telephony !== 'simulated') return undefined;
      options.mountDemoPage?.(app);
      return attachSimulator(deps, app, {
        timeScale: options.timeScale,
        onCreated: (created) => {
          sim = created;
          options.onCreated?.(created, deps, app);
        },
      });
    },
    callStatusSource: () => (sim ? simulatedCallStatusSource(sim) : undefined),
  };
}
