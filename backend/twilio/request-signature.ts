// X-Twilio-Signature: validated (and, for the simulator, computed) with the twilio library over the public URL.
import twilio from 'twilio';

/**
 * The URL Twilio signed: the configured public base, the path and the query exactly as received.
 * Never the Host header, which a proxy rewrites and a client controls. Fragments are not signed.
 */
export function signedUrl(publicBaseUrl: string, requestUrl: string): string {
  const u = new URL(requestUrl);
  return `${publicBaseUrl}${u.pathname}${u.search}`;
}

export function isValidTwilioSignature(authToken: string, signature: string | undefined, url: string, params: Record<string, string>): boolean {
  if (!signature) return false;
  return twilio.validateRequest(authToken, signature, url, params);
}

export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url.replace(/#.*$/, ''), params);
}
