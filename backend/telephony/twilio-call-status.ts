// The reconciler's status source in Twilio mode: the call resource from Twilio's REST API (client.calls(sid).fetch(), and
// .update() to end it), and the recordings it serves.
import twilio from 'twilio';
import { parseTwilioStatus } from '../../shared/call-status.js';
import type { TwilioSettings } from '../config.js';
import type { CallStatusSource } from '../calls/call-reconciler.js';

export function twilioCallStatusSource(
  settings: Pick<TwilioSettings, 'accountSid' | 'apiKey' | 'apiSecret'>,
  options: { httpClient?: InstanceType<typeof twilio.RequestClient>; fetchImpl?: typeof fetch } = {},
): CallStatusSource {
  const client = twilio(settings.apiKey, settings.apiSecret, { accountSid: settings.accountSid, httpClient: options.httpClient });
  const keyAuth = `Basic ${Buffer.from(`${settings.apiKey}:${settings.apiSecret}`).toString('base64')}`;
  return {
    // Binary audio, streamed: the twilio library's client reads bodies as text, so this one request is a plain fetch.
    fetchRecording: (url) => (options.fetchImpl ?? fetch)(url, { headers: { authorization: keyAuth }, signal: AbortSignal.timeout(15_000) }),
    async fetchCallStatus(sid) {
      try {
        const call = await client.calls(sid).fetch();
        // Twilio's "queued" is a call not yet ringing: parsed as initiated, still open.
        const status = parseTwilioStatus(call.status);
        const duration = call.duration === null || call.duration === undefined ? null : Number(call.duration);
        return { status: status ?? 'unknown', duration: Number.isFinite(duration) ? duration : null };
      } catch (error) {
        if ((error as { status?: number }).status === 404) return { status: 'unknown' };
        throw error;
      }
    },
    async endCall(sid) {
      try {
        // 'completed' hangs up a call whatever its phase; the agent's leg is in progress from the Voice URL's answer on.
        await client.calls(sid).update({ status: 'completed' });
        return 'ended';
      } catch (error) {
        if ((error as { status?: number }).status === 404) return 'unknown';
        throw error;
      }
    },
  };
}
