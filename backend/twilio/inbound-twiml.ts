// TwiML answers for a call to one of the organization's numbers: ring the available agents' softphones at once
// (<Dial> with one <Client> each, the caller's details as <Parameter>s), or a greeting and a bounded voicemail <Record>.
import twilio from 'twilio';
import { identityForAgent } from './agent-identity.js';
import { twilioWebhookUrl as url } from './webhook-urls.js';

/** How long the agents' softphones ring before the caller goes to voicemail. */
export const INBOUND_RING_SECONDS = 20;
/** The longest voicemail a caller may leave. */
export const VOICEMAIL_MAX_SECONDS = 120;

const VOICEMAIL_GREETING = 'Sorry, nobody can take your call right now. Please leave a message after the tone.';

/** The caller's details each ringing softphone receives (custom parameters of the incoming call). */
export interface InboundRingParams {
  callId: string;
  callerNumber: string | null;
  contactName: string | null;
  pageUrl: string | null;
  pageTitle: string | null;
}


export function inboundDialTwiml(input: {
  publicBaseUrl: string;
  agentIds: readonly string[];
  params: InboundRingParams;
  timeLimitSeconds: number;
}): string {
  const response = new twilio.twiml.VoiceResponse();
  const dial = response.dial({
    action: url(input.publicBaseUrl, 'inbound-dial', input.params.callId),
    method: 'POST',
    timeout: INBOUND_RING_SECONDS,
    timeLimit: input.timeLimitSeconds,
    answerOnBridge: true,
  });
  for (const agentId of input.agentIds) {
    const client = dial.client({
      statusCallback: url(input.publicBaseUrl, 'inbound-client-events', input.params.callId),
      statusCallbackEvent: ['ringing', 'answered', 'completed'],
      statusCallbackMethod: 'POST',
    });
    client.identity(identityForAgent(agentId));
    for (const [name, value] of Object.entries(input.params)) if (value) client.parameter({ name, value });
  }
  return response.toString();
}

export function voicemailTwiml(publicBaseUrl: string, callId: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(VOICEMAIL_GREETING);
  response.record({
    maxLength: VOICEMAIL_MAX_SECONDS,
    playBeep: true,
    timeout: 5,
    action: url(publicBaseUrl, 'inbound-voicemail', callId),
    method: 'POST',
    recordingStatusCallback: url(publicBaseUrl, 'inbound-recording', callId),
    recordingStatusCallbackEvent: ['completed'],
    recordingStatusCallbackMethod: 'POST',
  });
  return response.toString();
}

/** After the voicemail: thanks, then the call ends. */
export function voicemailDoneTwiml(): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say('Thank you. Goodbye.');
  response.hangup();
  return response.toString();
}
