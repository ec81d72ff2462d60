// TwiML answers for the Voice URL, built with the twilio library's VoiceResponse.
import twilio from 'twilio';
import { twilioWebhookUrl } from './webhook-urls.js';

export function dialTwiml(input: {
  publicBaseUrl: string;
  callId: string;
  callerId: string;
  to: string;
  /** Twilio's own default is 4 hours: a hijacked or forgotten call to a costly number runs up the bill that long. */
  timeLimitSeconds: number;
  /** Checked extension digits Twilio plays once the far end answers (call-guard.ts checkExtension). */
  sendDigits: string | null;
}): string {
  const response = new twilio.twiml.VoiceResponse();
  const dial = response.dial({
    callerId: input.callerId,
    answerOnBridge: true,
    timeLimit: input.timeLimitSeconds,
    action: twilioWebhookUrl(input.publicBaseUrl, 'outbound-status', input.callId),
    method: 'POST',
  });
  dial.number(
    {
      statusCallback: twilioWebhookUrl(input.publicBaseUrl, 'outbound-events', input.callId),
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      statusCallbackMethod: 'POST',
      ...(input.sendDigits ? { sendDigits: input.sendDigits } : {}),
    },
    input.to,
  );
  return response.toString();
}

/** A refused call: the caller hears why, then the call ends. */
export function refusalTwiml(reason: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(reason);
  response.hangup();
  return response.toString();
}

/** The answer to a `<Dial action>` request: nothing more to do. */
export function emptyTwiml(): string {
  return new twilio.twiml.VoiceResponse().toString();
}
