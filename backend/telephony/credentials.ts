// The credentials the backend signs and validates with: a real Twilio account's, or the simulator's generated ones.
import type { AppConfig, TwilioSettings } from '../config.js';
import type { LocalSecrets } from '../secrets.js';

/** A Twilio account's settings, real or the simulator's; its authToken validates X-Twilio-Signature (and signs the simulator's requests). */
export type TwilioCredentials = Omit<TwilioSettings, 'kind'>;

export function twilioCredentials(config: Pick<AppConfig, 'telephony'>, secrets: Pick<LocalSecrets, 'simAccountSid' | 'simAuthToken' | 'simApiKey' | 'simApiSecret' | 'simTwimlAppSid'>): TwilioCredentials {
  const t = config.telephony;
  if (t.kind === 'twilio') {
    const { kind: _kind, ...account } = t;
    return account;
  }
  return {
    accountSid: secrets.simAccountSid,
    authToken: secrets.simAuthToken,
    apiKey: secrets.simApiKey,
    apiSecret: secrets.simApiSecret,
    twimlAppSid: secrets.simTwimlAppSid,
    callerId: t.callerId,
  };
}
