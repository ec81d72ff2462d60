// Mints a Twilio Voice access token (AccessToken + VoiceGrant) with the twilio library.
import { decodeJwt } from 'jose';
import twilio from 'twilio';
import type { TwilioCredentials } from '../telephony/credentials.js';

const VOICE_TOKEN_TTL_SECONDS = 3600;

/** The twilio library stamps the token with the real time, so its expiry is read back from the token itself. */
export function mintVoiceToken(creds: TwilioCredentials, identity: string) {
  const { AccessToken } = twilio.jwt;
  const token = new AccessToken(creds.accountSid, creds.apiKey, creds.apiSecret, { identity, ttl: VOICE_TOKEN_TTL_SECONDS });
  token.addGrant(new AccessToken.VoiceGrant({ outgoingApplicationSid: creds.twimlAppSid, incomingAllow: true }));
  const jwt = token.toJwt();
  const { exp } = decodeJwt(jwt);
  return { token: jwt, identity, expiresAt: new Date((exp ?? 0) * 1000).toISOString() };
}
