// The credentials the backend signs and validates with: a real Twilio account's, or the simulator's generated ones.
import type { AppConfig } from '../config.js';
import type { LocalSecrets } from '../secrets.js';

export interface TwilioCredentials {
  accountSid: string;
  /** Validates X-Twilio-Signature (and signs the simulator's requests). */
  authToken: string;
  apiKey: string;
  apiSecret: string;
  twimlAppSid: string;
  callerId: string;
}

export function twilioCredentials(config: Pick<AppConfig, 'telephony'>, secrets: Pick<LocalSecrets, 'simAccountSid' | 'simAuthToken' | 'simApiKey' | 'simApiSecret' | 'simTwimlAppSid'>): TwilioCredentials {
  const t = config.telephony;
  if (t.kind === 'twilio') {
    return { accountSid: t.accountSid, authToken: t.authToken, apiKey: t.apiKey, apiSecret: t.apiSecret, twimlAppSid: t.twimlAppSid, callerId: t.callerId };
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
