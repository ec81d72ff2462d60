// Reads a Twilio webhook: a url-encoded form, each field once, signed with X-Twilio-Signature over the public URL.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { isValidTwilioSignature, signedContentDigest, signedUrl } from '../twilio/request-signature.js';
import { ApiError } from './api-error.js';

const MAX_FIELDS = 200;

export interface SignedTwilioForm {
  fields: Record<string, string>;
  /** The digest of what the signature covers (signedContentDigest): the same for a request and every re-split of it. */
  digest: string;
}

/** What the Twilio-facing sub-app's handlers read: the form its middleware checked (signedTwilioForm below). */
export type TwilioWebhookEnv = { Variables: { twilioForm: SignedTwilioForm } };

/**
 * Middleware: the request is a webhook from Twilio (a signed form) or it is refused (415, 400, 403). The URL checked is
 * the one requested, so an old path (webhook-urls.ts) verifies against itself as Twilio signed it.
 */
export function signedTwilioForm(authToken: string, publicBaseUrl: string) {
  return createMiddleware<TwilioWebhookEnv>(async (c, next) => {
    c.set('twilioForm', await readSignedTwilioForm(c, authToken, publicBaseUrl));
    await next();
  });
}

async function readSignedTwilioForm(c: Context, authToken: string, publicBaseUrl: string): Promise<SignedTwilioForm> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw new ApiError(415, 'unsupported-media-type', 'Twilio webhooks must be sent as application/x-www-form-urlencoded.');
  }
  const params = new URLSearchParams(await c.req.text());
  const form: Record<string, string> = {};
  let count = 0;
  for (const [key, value] of params) {
    if (++count > MAX_FIELDS) throw new ApiError(400, 'too-many-fields', 'The webhook has too many form fields.');
    if (Object.hasOwn(form, key)) throw new ApiError(400, 'repeated-field', `The form field ${JSON.stringify(key.slice(0, 50))} appears more than once.`);
    form[key] = value;
  }
  const url = signedUrl(publicBaseUrl, c.req.url);
  if (!isValidTwilioSignature(authToken, c.req.header('x-twilio-signature'), url, form)) {
    throw new ApiError(403, 'invalid-signature', 'The X-Twilio-Signature header is missing or does not match this request.');
  }
  const { pathname, search } = new URL(c.req.url);
  return { fields: form, digest: signedContentDigest(`${pathname}${search}`, form) };
}
