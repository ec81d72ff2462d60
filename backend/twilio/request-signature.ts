// X-Twilio-Signature: validated (and, for the simulator, computed) with the twilio library over the public URL.
import { createHash } from 'node:crypto';
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

/**
 * A digest of what the signature covers after the public base URL: the path and query, then each field's name and value
 * in sorted name order, run together as Twilio runs them. Any re-split of a signed request into other field boundaries
 * that still passes the signature has this same digest, so an idempotency key built from it cannot be changed by
 * re-splitting (a key built from parsed fields, or a hash over name=value pairs with separators, would give each
 * re-split a fresh key). The base URL is left out so that a retry still matches after PUBLIC_BASE_URL changes.
 */
export function signedContentDigest(pathAndQuery: string, params: Record<string, string>): string {
  const hash = createHash('sha256').update(pathAndQuery);
  for (const key of Object.keys(params).sort()) hash.update(key).update(params[key]!);
  return hash.digest('base64url');
}
