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

export function twilioCredentials(config: Pick<AppConfig, 'twilio' | 'callerId'>, secrets: Pick<LocalSecrets, 'simAccountSid' | 'simAuthToken' | 'simApiKey' | 'simApiSecret' | 'simTwimlAppSid'>): TwilioCredentials {
  if (config.twilio) {
    const t = config.twilio;
    return { accountSid: t.accountSid, authToken: t.authToken, apiKey: t.apiKey, apiSecret: t.apiSecret, twimlAppSid: t.twimlAppSid, callerId: t.phoneNumber };
  }
  return {
    accountSid: secrets.simAccountSid,
    authToken: secrets.simAuthToken,
    apiKey: secrets.simApiKey,
    apiSecret: secrets.simApiSecret,
    twimlAppSid: secrets.simTwimlAppSid,
    callerId: config.callerId,
  };
}
