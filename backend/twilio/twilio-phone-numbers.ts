// The Twilio account's phone numbers, from its REST API (client.incomingPhoneNumbers.list()), for the admin import.
import twilio from 'twilio';
import type { TwilioCredentials } from '../telephony/credentials.js';

export interface ImportableNumber {
  e164: string;
  friendlyName: string | null;
  sid: string | null;
}

export interface PhoneNumberSource {
  listNumbers(): Promise<ImportableNumber[]>;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const PN_SID = /^PN[0-9a-f]{32}$/;

export function twilioPhoneNumberSource(
  creds: Pick<TwilioCredentials, 'accountSid' | 'apiKey' | 'apiSecret'>,
  options: { httpClient?: InstanceType<typeof twilio.RequestClient> } = {},
): PhoneNumberSource {
  const client = twilio(creds.apiKey, creds.apiSecret, { accountSid: creds.accountSid, httpClient: options.httpClient });
  return {
    async listNumbers() {
      const numbers = await client.incomingPhoneNumbers.list({ limit: 1000 });
      // Only what is shaped as Twilio documents it is kept: the list is stored and later rings agents.
      return numbers
        .filter((n) => typeof n.phoneNumber === 'string' && E164.test(n.phoneNumber))
        .map((n) => ({ e164: n.phoneNumber, friendlyName: n.friendlyName ?? null, sid: typeof n.sid === 'string' && PN_SID.test(n.sid) ? n.sid : null }));
    },
  };
}
