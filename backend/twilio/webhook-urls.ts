// Where Twilio calls this backend: the one place the public webhook URLs are built (the TwiML's callbacks, the simulator's
// requests). The paths are configured in Twilio consoles too (docs/twilio-setup.md), so they do not change.
const TWILIO_WEBHOOK_PREFIX = '/api/twilio';

/** Connection overrides: Twilio retries a callback that fails to connect or answers 5xx (fragments are not signed). */
export const CALLBACK_RETRY = '#rc=3&rp=all';

export type TwilioWebhookRoute =
  | 'outbound'
  | 'outbound-status'
  | 'outbound-events'
  | 'inbound'
  | 'inbound-status'
  | 'inbound-dial'
  | 'inbound-client-events'
  | 'inbound-voicemail'
  | 'inbound-recording';

/** A webhook's public URL; with a call id, as a callback for that call that Twilio retries. */
export function twilioWebhookUrl(publicBaseUrl: string, route: TwilioWebhookRoute, callId?: string): string {
  const url = `${publicBaseUrl}${TWILIO_WEBHOOK_PREFIX}/${route}`;
  return callId === undefined ? url : `${url}?callId=${encodeURIComponent(callId)}${CALLBACK_RETRY}`;
}
