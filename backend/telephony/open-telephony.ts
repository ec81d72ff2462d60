// The telephony side, chosen once from the configuration: Twilio's REST API and account, or the simulated Twilio that
// plays them over real HTTP. Everything else (the server, the tests, the benches) takes what this returns, as it takes
// the database from server-adapters.ts.
import type { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import type { CallStatusSource } from '../calls/call-reconciler.js';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { LocalSecrets } from '../secrets.js';
import { simInboundRoutes, simRecordingRoutes } from '../sim/sim-inbound-routes.js';
import { simRoutes } from '../sim/sim-routes.js';
import { createTwilioSimulator, type TwilioSimulator } from '../sim/twilio-simulator.js';
import { twilioCredentials, type TwilioCredentials } from './credentials.js';
import { simulatedCallStatusSource } from './simulated-call-status.js';
import { twilioCallStatusSource } from './twilio-call-status.js';

export interface TelephonyOptions {
  /** Simulated mode: 1 plays calls in real time; tests run faster with a smaller scale. Defaults to SIM_TIME_SCALE. */
  timeScale?: number;
  /** Replaces the REST API the reconciler and the server-side hang-up use (tests point it at a Twilio stand-in). */
  callStatusSource?: CallStatusSource;
  /** Simulated mode: how the simulator sends its webhook requests (benches time them). */
  fetch?: typeof fetch;
}

export interface Telephony {
  kind: AppConfig['telephony']['kind'];
  /** What the backend signs Voice tokens with and checks X-Twilio-Signature against. */
  creds: TwilioCredentials;
  /** Where the reconciler asks for a call's status, and the server ends a call. */
  callStatusSource: CallStatusSource;
  /** The simulated Twilio (simulated mode only), to ring an agent or see what the far end heard. */
  simulator: TwilioSimulator | null;
  /** Mounts this side's own routes (the simulator's /api/sim and /api/sim-recordings; none for Twilio). */
  mount(app: Hono, deps: AppDeps): void;
  close(): Promise<void>;
}

export function openTelephony(
  config: Pick<AppConfig, 'telephony' | 'publicBaseUrl' | 'simTimeScale'>,
  secrets: Pick<LocalSecrets, 'simAccountSid' | 'simAuthToken' | 'simApiKey' | 'simApiSecret' | 'simTwimlAppSid'>,
  logger: Logger,
  options: TelephonyOptions = {},
): Telephony {
  const creds = twilioCredentials(config, secrets);
  if (config.telephony.kind === 'twilio') {
    return {
      kind: 'twilio',
      creds,
      callStatusSource: options.callStatusSource ?? twilioCallStatusSource(config.telephony),
      simulator: null,
      mount: () => undefined,
      close: () => Promise.resolve(),
    };
  }
  const timeScale = options.timeScale ?? config.simTimeScale;
  const sim = createTwilioSimulator({ publicBaseUrl: config.publicBaseUrl, creds, logger, timeScale, fetch: options.fetch });
  return {
    kind: 'simulated',
    creds,
    callStatusSource: options.callStatusSource ?? simulatedCallStatusSource(sim),
    simulator: sim,
    mount(app, deps) {
      app.route('/api/sim', simInboundRoutes(deps, sim));
      app.route('/api/sim', simRoutes(deps, sim));
      app.route('/api/sim-recordings', simRecordingRoutes(deps, sim));
      logger.info('sim.ready', { timeScale });
    },
    close: () => sim.close(),
  };
}
