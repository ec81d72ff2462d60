// The backend in Twilio mode with well-formed fake credentials, next to the Twilio stand-in that plays Twilio's side of its calls.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import twilio from 'twilio';
import type TwilioRequestClient from 'twilio/lib/base/RequestClient.js';
import type { CallStatusSource } from '../../../backend/calls/call-reconciler.js';
import { twilioCallStatusSource } from '../../../backend/telephony/twilio-call-status.js';
import { loadConfig } from '../../../backend/config.js';
import { silentLogger } from '../../../backend/logger.js';
import { startBackend, type RunningBackend, type StartOptions } from '../../../backend/server.js';
import { startTwilioCloud, type CloudCredentials, type TwilioCloud, type TwilioCloudOptions } from './twilio-cloud.js';

/** Shaped like a real account's values, known to nobody but these tests. */
export const FAKE_TWILIO: CloudCredentials & { phoneNumber: string } = {
  accountSid: `AC${'5a'.repeat(16)}`,
  authToken: 'f00dcafe'.repeat(4),
  apiKey: `SK${'6b'.repeat(16)}`,
  apiSecret: 'a-fake-api-key-secret-for-tests',
  twimlAppSid: `AP${'7c'.repeat(16)}`,
  phoneNumber: '+15005550006',
};

export const twilioEnv = (creds = FAKE_TWILIO): Record<string, string> => ({
  TWILIO_ACCOUNT_SID: creds.accountSid,
  TWILIO_AUTH_TOKEN: creds.authToken,
  TWILIO_API_KEY: creds.apiKey,
  TWILIO_API_SECRET: creds.apiSecret,
  TWILIO_TWIML_APP_SID: creds.twimlAppSid,
  TWILIO_PHONE_NUMBER: creds.phoneNumber,
});

export interface TwilioWorld {
  readonly backend: RunningBackend;
  cloud: TwilioCloud;
  /** Stops the backend (an admin's restart) and starts it again on the same port and data; Twilio's calls go on. */
  restartBackend(downMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts both. `env` adds to the backend's environment (DEMO_PASSWORD, a wrong TWILIO_API_SECRET…); the cloud always
 * checks tokens against FAKE_TWILIO, as Twilio checks them against the account's real key.
 */
export async function startTwilioWorld(
  options: { env?: Record<string, string>; cloud?: Omit<Partial<TwilioCloudOptions>, 'creds' | 'voiceUrl'>; extend?: StartOptions['extend'] } = {},
): Promise<TwilioWorld> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'c2c-twilio-'));
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...twilioEnv(), ...options.env });
  const twilioSettings = config.telephony;
  if (twilioSettings.kind !== 'twilio') throw new Error('The Twilio world runs the backend in Twilio mode: its environment must name a Twilio account.');
  let cloud: TwilioCloud | undefined;
  let rest: CallStatusSource | undefined;
  // The reconciler's REST calls go to the stand-in's api.twilio.com, through the twilio library's own client.
  const restSource = (): CallStatusSource | null => {
    if (!cloud) return null;
    const origin = cloud.restOrigin;
    class LocalTwilio extends twilio.RequestClient {
      override request<T>(opts: TwilioRequestClient.RequestOptions<T>) {
        return super.request<T>({ ...opts, uri: opts.uri.replace('https://api.twilio.com', origin) });
      }
    }
    rest ??= twilioCallStatusSource(twilioSettings, {
      httpClient: new LocalTwilio(),
      fetchImpl: (url, init) => fetch(String(url).replace('https://api.twilio.com', origin), init),
    });
    return rest;
  };
  const source: CallStatusSource = {
    fetchCallStatus: (sid) => restSource()?.fetchCallStatus(sid) ?? Promise.resolve({ status: 'unknown' }),
    endCall: (sid) => restSource()?.endCall?.(sid) ?? Promise.resolve('unknown'),
    fetchRecording: (url) => restSource()?.fetchRecording?.(url) ?? Promise.reject(new Error('The Twilio stand-in is not started.')),
  };
  let backend = await startBackend(config, { logger: silentLogger, extend: options.extend, telephony: { callStatusSource: source } });
  try {
    // The TwiML App's Voice URL as consoles set up before the webhooks moved to /twilio name it: the old path, an alias.
    cloud = await startTwilioCloud({ creds: FAKE_TWILIO, voiceUrl: `${backend.url}/api/twilio/outbound`, ...options.cloud });
  } catch (error) {
    await backend.close();
    throw error;
  }
  const started = cloud;
  return {
    get backend() {
      return backend;
    },
    cloud: started,
    async restartBackend(downMs = 0) {
      const { port } = new URL(backend.url);
      const publicBaseUrl = backend.deps.config.publicBaseUrl;
      await backend.close();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      const again = loadConfig({ PORT: port, DATA_DIR: dataDir, LOG_LEVEL: 'silent', PUBLIC_BASE_URL: publicBaseUrl, ...twilioEnv(), ...options.env });
      backend = await startBackend(again, { logger: silentLogger, extend: options.extend, telephony: { callStatusSource: source } });
    },
    async close() {
      await started.close();
      await backend.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
