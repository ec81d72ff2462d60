// Twilio's side of one call to an organization's number: the signed inbound Voice URL request, the <Dial><Client>s it
// names (each rung at once; the first to answer gets the call, the others are cancelled), the <Dial action>, and the
// voicemail <Record> when nobody answers, with every callback posted to the URLs the TwiML named.
// Shared by the simulator and the Twilio signalling stand-in of the browser tests, so both play inbound calls the same way.
import { randomBytes } from 'node:crypto';
import type { CallStatus } from '../../shared/call-status.js';
import type { Logger } from '../logger.js';
import { agentIdFromClient } from '../twilio/agent-identity.js';
import { twilioWebhookUrl } from '../twilio/webhook-urls.js';
import type { PostResult } from './callback-poster.js';
import { readInboundTwiml, type InboundInstruction } from './inbound-twiml-reader.js';
import { newCallSid } from './outbound-leg.js';

const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');
export const newRecordingSid = () => `RE${randomBytes(16).toString('hex')}`;

export interface RingingLeg {
  /** The <Client> leg's own CallSid (what the softphone's incoming call is known by). */
  sid: string;
  identity: string;
  agentId: string | null;
  /** The <Parameter>s, plus From and To as the Voice SDK's call.parameters carry them. */
  params: Record<string, string>;
}

export type InboundOutcome = 'answered' | 'voicemail' | 'refused' | 'failed';

export interface InboundCallOptions {
  post: (url: string, form: Record<string, string>) => Promise<PostResult>;
  publicBaseUrl: string;
  callSid: string;
  from: string;
  to: string;
  timeScale: number;
  logger: Logger;
  /** The caller's voicemail: where the recording is kept and how long it is. */
  recordVoicemail: () => Promise<{ sid: string; url: string; seconds: number }>;
  /** Twilio's events toward the agents' devices. */
  onRing: (leg: RingingLeg) => void;
  onCancel: (leg: RingingLeg) => void;
  onAnswered: (leg: RingingLeg) => void;
  onEnded: (leg: RingingLeg, status: CallStatus) => void;
}

export interface InboundCallHandle {
  callSid: string;
  /** The first agent to answer gets the call; false when it is no longer ringing for that leg. */
  answer(legSid: string): boolean;
  /** That agent declines; when every rung agent has declined, the caller goes to voicemail. */
  decline(legSid: string): boolean;
  /** The agent on the answered leg hangs up. */
  hangUp(legSid: string): void;
  done: Promise<InboundOutcome>;
}

export function startInboundCall(o: InboundCallOptions): InboundCallHandle {
  const scale = o.timeScale;
  const legs = new Map<string, RingingLeg & { state: 'ringing' | 'declined' | 'answered' | 'canceled' }>();
  let decide: ((how: 'answered' | 'declined' | 'timeout') => void) | null = null;
  let answered: RingingLeg | null = null;
  let hangUp!: () => void;
  const hungUp = new Promise<void>((resolve) => (hangUp = resolve));
  const statusUrl = twilioWebhookUrl(o.publicBaseUrl, 'inbound-status');

  const parentStatus = (status: CallStatus, seconds: number) =>
    o.post(statusUrl, { CallSid: o.callSid, CallStatus: status, CallDuration: String(seconds), From: o.from, To: o.to, Direction: 'inbound', Timestamp: rfc2822(new Date()) });

  let sequence = 0;
  const legEvent = async (leg: RingingLeg, client: { statusCallback: string | null; statusCallbackEvents: string[] }, status: CallStatus, extra: Record<string, string> = {}) => {
    const event = status === 'in-progress' ? 'answered' : status === 'ringing' ? 'ringing' : 'completed';
    if (!client.statusCallback || !client.statusCallbackEvents.includes(event)) return;
    await o.post(client.statusCallback, {
      CallSid: leg.sid, ParentCallSid: o.callSid, CallStatus: status, To: `client:${leg.identity}`, From: o.from,
      Direction: 'outbound-dial', SequenceNumber: String(sequence++), Timestamp: rfc2822(new Date()), ...extra,
    });
  };

  async function follow(instruction: InboundInstruction, started: number): Promise<InboundOutcome> {
    if (instruction.kind === 'hangup') {
      await parentStatus('completed', Math.round((Date.now() - started) / (1000 * scale)));
      return 'refused';
    }
    if (instruction.kind === 'record') {
      // The caller speaks for a moment after the beep.
      await new Promise((r) => setTimeout(r, 300 * scale));
      const recording = await o.recordVoicemail();
      const fields = { CallSid: o.callSid, RecordingSid: recording.sid, RecordingUrl: recording.url, RecordingDuration: String(recording.seconds) };
      let next: InboundInstruction = { kind: 'hangup', say: null };
      if (instruction.action) {
        const res = await o.post(instruction.action, { ...fields, Digits: 'hangup' });
        if (res.status === 200) next = readInboundTwiml(res.body);
      }
      if (instruction.recordingStatusCallback) {
        await o.post(instruction.recordingStatusCallback, { ...fields, RecordingStatus: 'completed', RecordingChannels: '1', RecordingSource: 'RecordVerb' });
      }
      if (next.kind === 'record') next = { kind: 'hangup', say: null };
      await follow(next, started);
      return 'voicemail';
    }

    // <Dial> with one <Client> per agent: every device rings at once.
    const clients = new Map<string, (typeof instruction.clients)[number]>();
    for (const client of instruction.clients) {
      const leg = { sid: newCallSid(), identity: client.identity, agentId: agentIdFromClient(`client:${client.identity}`), params: { ...client.params, From: o.from, To: o.to }, state: 'ringing' as const };
      legs.set(leg.sid, leg);
      clients.set(leg.sid, client);
    }
    const how = new Promise<'answered' | 'declined' | 'timeout'>((resolve) => (decide = resolve));
    for (const leg of legs.values()) o.onRing(leg);
    await Promise.all([...legs.values()].map((leg) => legEvent(leg, clients.get(leg.sid)!, 'ringing')));
    const timer = setTimeout(() => decide?.('timeout'), instruction.timeoutSeconds * 1000 * scale);
    const result = await how;
    clearTimeout(timer);
    decide = null;

    let dialStatus: CallStatus;
    let dialSeconds = 0;
    if (result === 'answered' && answered) {
      const winner = answered;
      const answeredAt = Date.now();
      for (const leg of legs.values()) {
        if (leg.sid === winner.sid || leg.state === 'declined') continue;
        leg.state = 'canceled';
        o.onCancel(leg);
      }
      o.onAnswered(winner);
      await Promise.all([
        legEvent(winner, clients.get(winner.sid)!, 'in-progress'),
        ...[...legs.values()].filter((l) => l.sid !== winner.sid).map((l) => legEvent(l, clients.get(l.sid)!, l.state === 'declined' ? 'busy' : 'canceled', { CallDuration: '0' })),
      ]);
      await hungUp;
      dialSeconds = Math.round((Date.now() - answeredAt) / (1000 * scale));
      await legEvent(winner, clients.get(winner.sid)!, 'completed', { CallDuration: String(dialSeconds) });
      o.onEnded(winner, 'completed');
      dialStatus = 'completed';
    } else {
      for (const leg of legs.values()) if (leg.state === 'ringing') o.onCancel(leg);
      await Promise.all([...legs.values()].map((l) => legEvent(l, clients.get(l.sid)!, l.state === 'declined' ? 'busy' : 'no-answer', { CallDuration: '0' })));
      dialStatus = result === 'declined' ? 'busy' : 'no-answer';
    }

    let next: InboundInstruction = { kind: 'hangup', say: null };
    if (instruction.action) {
      const res = await o.post(instruction.action, {
        CallSid: o.callSid, DialCallSid: answered?.sid ?? newCallSid(), DialCallStatus: dialStatus, DialCallDuration: String(dialSeconds), DialBridged: String(dialStatus === 'completed'),
      });
      if (res.status === 200) next = readInboundTwiml(res.body);
    }
    if (next.kind === 'dial-clients') next = { kind: 'hangup', say: null };
    const after = await follow(next, started);
    return dialStatus === 'completed' ? 'answered' : after;
  }

  async function run(): Promise<InboundOutcome> {
    const started = Date.now();
    const voice = await o.post(twilioWebhookUrl(o.publicBaseUrl, 'inbound'), {
      CallSid: o.callSid, From: o.from, To: o.to, Caller: o.from, Called: o.to, CallStatus: 'ringing', Direction: 'inbound',
    });
    if (voice.status !== 200) {
      o.logger.warn('sim.inbound-refused', { callSid: o.callSid, status: voice.status });
      return 'failed';
    }
    return follow(readInboundTwiml(voice.body), started);
  }

  return {
    callSid: o.callSid,
    answer(legSid) {
      const leg = legs.get(legSid);
      if (!leg || leg.state !== 'ringing' || !decide || answered) return false;
      leg.state = 'answered';
      answered = leg;
      decide('answered');
      return true;
    },
    decline(legSid) {
      const leg = legs.get(legSid);
      if (!leg || leg.state !== 'ringing' || !decide) return false;
      leg.state = 'declined';
      if ([...legs.values()].every((l) => l.state === 'declined')) decide('declined');
      return true;
    },
    hangUp(legSid) {
      if (answered?.sid === legSid) hangUp();
    },
    done: run(),
  };
}
