// TwiML answers for the Voice URL, built with the twilio library's VoiceResponse.
import twilio from 'twilio';

/** Connection overrides: Twilio retries a callback that fails to connect or answers 5xx (fragments are not signed). */
export const CALLBACK_RETRY = '#rc=3&rp=all';

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
  const q = `callId=${encodeURIComponent(input.callId)}`;
  const dial = response.dial({
    callerId: input.callerId,
    answerOnBridge: true,
    timeLimit: input.timeLimitSeconds,
    action: `${input.publicBaseUrl}/api/twilio/outbound-status?${q}${CALLBACK_RETRY}`,
    method: 'POST',
  });
  dial.number(
    {
      statusCallback: `${input.publicBaseUrl}/api/twilio/outbound-events?${q}${CALLBACK_RETRY}`,
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
