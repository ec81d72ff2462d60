// Where Twilio calls this backend: the one list of webhook routes, the one place their public URLs are built (the TwiML's
// callbacks, the simulator's requests), and the old public paths that Twilio consoles may still name (docs/deploy.md).
/** The Twilio-facing sub-app's prefix (app.ts): what new calls' callbacks name. */
export const TWILIO_WEBHOOK_PREFIX = '/twilio';

/**
 * Where the webhooks were served before they had a sub-app of their own, under the browser-facing /api. Twilio consoles
 * are configured with these URLs (the TwiML App's and the numbers' Voice URLs) and calls placed before an upgrade still
 * carry them, so they are served as aliases, never redirected: Twilio does not follow a redirect with its POST and signs
 * the URL it posted to.
 */
export const LEGACY_TWILIO_WEBHOOK_PREFIX = '/api/twilio';

/** Connection overrides: Twilio retries a callback that fails to connect or answers 5xx (fragments are not signed). */
export const CALLBACK_RETRY = '#rc=3&rp=all';

export const TWILIO_WEBHOOK_ROUTES = [
  'outbound',
  'outbound-status',
  'outbound-events',
  'inbound',
  'inbound-status',
  'inbound-dial',
  'inbound-client-events',
  'inbound-voicemail',
  'inbound-recording',
] as const;

export type TwilioWebhookRoute = (typeof TWILIO_WEBHOOK_ROUTES)[number];

/** A webhook's public URL; with a call id, as a callback for that call that Twilio retries. */
export function twilioWebhookUrl(publicBaseUrl: string, route: TwilioWebhookRoute, callId?: string): string {
  const url = `${publicBaseUrl}${TWILIO_WEBHOOK_PREFIX}/${route}`;
  return callId === undefined ? url : `${url}?callId=${encodeURIComponent(callId)}${CALLBACK_RETRY}`;
}

const legacyPaths = new Map(TWILIO_WEBHOOK_ROUTES.map((route) => [`${LEGACY_TWILIO_WEBHOOK_PREFIX}/${route}`, `${TWILIO_WEBHOOK_PREFIX}/${route}`]));

/**
 * The path a request is routed by: an old webhook path becomes its /twilio one, so that it reaches the Twilio-facing
 * sub-app and nothing of the browser-facing /api (CORS, agent presence). Every other path, /api/twilio/token included
 * (the softphone's, browser-facing), is unchanged.
 */
export function webhookRoutingPath(path: string): string {
  return legacyPaths.get(path) ?? path;
}
