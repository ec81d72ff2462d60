// The simulated Twilio: places a call the way Twilio does — signed Voice URL request, then the TwiML's callbacks — over real HTTP.
import { EventEmitter } from 'node:events';
import type { DialParams, SimDeviceEvent } from '../../shared/api.js';
import type { CallStatus } from '../../shared/call-status.js';
import type { Logger } from '../logger.js';
import type { TwilioCredentials } from '../telephony/credentials.js';
import { twilioWebhookUrl } from '../twilio/webhook-urls.js';
import { postSignedForm } from './callback-poster.js';
import { newCallSid, runOutboundLeg } from './outbound-leg.js';
import { newRecordingSid, startInboundCall, type InboundCallHandle, type InboundOutcome } from './inbound-call.js';
import { generatedVoicemail } from './voicemail-audio.js';

export interface SimulatorOptions {
  publicBaseUrl: string;
  creds: TwilioCredentials;
  logger: Logger;
  /** 1 = realistic timing; tests run faster with a smaller scale. */
  timeScale?: number;
  fetch?: typeof fetch;
}

type Phase = 'connecting' | 'ringing' | 'in-progress' | 'ended';

interface SimCall {
  callSid: string;
  agentId: string;
  phase: Phase;
  digits: string;
  hangUp: () => void;
  hungUp: boolean;
  done: Promise<CallStatus>;
}

export class SimulatorError extends Error {
  constructor(readonly code: 'not-found' | 'not-yours' | 'busy', message: string) {
    super(message);
  }
}

export function createTwilioSimulator(options: SimulatorOptions) {
  const { creds, logger } = options;
  const scale = options.timeScale ?? 1;
  const device = new EventEmitter();
  device.setMaxListeners(0);
  const calls = new Map<string, SimCall>();
  /** Inbound <Client> legs ringing a device, by the leg's CallSid; the voicemails left, by RecordingSid. */
  const ringing = new Map<string, { handle: InboundCallHandle; agentId: string }>();
  const recordings = new Map<string, Buffer>();

  const emit = (agentId: string, event: SimDeviceEvent) => device.emit(agentId, event);
  const post = (url: string, form: Record<string, string>) =>
    postSignedForm(url, { AccountSid: creds.accountSid, ApiVersion: '2010-04-01', ...form }, creds.authToken, { fetch: options.fetch, retryDelayMs: 200 * scale });

  function run(call: SimCall, identity: string, params: DialParams, hangup: Promise<void>): Promise<CallStatus> {
    const custom: Record<string, string> = {};
    for (const key of ['contactName', 'pageUrl', 'pageTitle', 'extension', 'callFrom'] as const) if (params[key]) custom[key] = params[key]!;
    return runOutboundLeg({
      post,
      voiceUrl: twilioWebhookUrl(options.publicBaseUrl, 'outbound'),
      applicationSid: creds.twimlAppSid,
      callSid: call.callSid,
      identity,
      to: params.To,
      custom,
      hangup,
      hungUp: () => call.hungUp,
      timeScale: scale,
      logger,
      onRefused: (code, message) => emit(call.agentId, { type: 'error', callSid: call.callSid, code, message }),
      onPhase: (phase) => {
        call.phase = phase;
      },
      onRinging: () => emit(call.agentId, { type: 'ringing', callSid: call.callSid }),
      onAnswered: () => emit(call.agentId, { type: 'accept', callSid: call.callSid }),
      // <Number sendDigits>: Twilio plays them to the far end once it answers, as if dialled then.
      onDigitsSent: (digits) => {
        call.digits += digits;
      },
    });
  }

  return {
    /** Places a call as the Voice SDK's `connect({ params })` would. One call at a time per agent. */
    placeCall(agentId: string, identity: string, params: DialParams): { callSid: string; done: Promise<CallStatus> } {
      for (const c of calls.values()) {
        if (c.agentId === agentId && c.phase !== 'ended') throw new SimulatorError('busy', 'You are already on a call. Hang up first.');
      }
      let hangUp!: () => void;
      const hangup = new Promise<void>((resolve) => (hangUp = resolve));
      const call: SimCall = {
        callSid: newCallSid(),
        agentId,
        phase: 'connecting',
        digits: '',
        hungUp: false,
        hangUp: () => {
          call.hungUp = true;
          hangUp();
        },
        done: Promise.resolve('initiated'),
      };
      calls.set(call.callSid, call);
      call.done = run(call, identity, params, hangup)
        .catch((error: unknown) => {
          logger.warn('sim.call-failed', { callSid: call.callSid, error: error instanceof Error ? error.message : String(error) });
          emit(agentId, { type: 'error', callSid: call.callSid, code: 31005, message: 'The simulated connection to the backend failed.' });
          return 'failed' as CallStatus;
        })
        .then((status) => {
          call.phase = 'ended';
          emit(agentId, { type: 'disconnect', callSid: call.callSid, status });
          // Keep ended calls briefly so a late hang-up or digits request gets a clear answer, then forget them.
          setTimeout(() => calls.delete(call.callSid), 60_000).unref();
          return status;
        });
      return { callSid: call.callSid, done: call.done };
    },

    /** A call from `from` to one of the organization's numbers, played through the real inbound webhook routes. */
    placeIncomingCall(from: string, to: string): { callSid: string; done: Promise<InboundOutcome> } {
      const ended = new Map<string, () => void>();
      const handle = startInboundCall({
        post,
        publicBaseUrl: options.publicBaseUrl,
        callSid: newCallSid(),
        from,
        to,
        timeScale: scale,
        logger,
        recordVoicemail: async () => {
          const sid = newRecordingSid();
          recordings.set(sid, generatedVoicemail(2));
          return { sid, url: `${options.publicBaseUrl}/api/sim-recordings/${sid}`, seconds: 2 };
        },
        onRing: (leg) => {
          if (!leg.agentId) return;
          ringing.set(leg.sid, { handle, agentId: leg.agentId });
          emit(leg.agentId, { type: 'incoming', callSid: leg.sid, params: leg.params });
        },
        onCancel: (leg) => {
          ringing.delete(leg.sid);
          if (leg.agentId) emit(leg.agentId, { type: 'cancel', callSid: leg.sid });
        },
        onAnswered: (leg) => {
          ringing.delete(leg.sid);
          if (!leg.agentId) return;
          let finish!: (status: CallStatus) => void;
          const call: SimCall = {
            callSid: leg.sid, agentId: leg.agentId, phase: 'in-progress', digits: '', hungUp: false,
            hangUp: () => {
              call.hungUp = true;
              handle.hangUp(leg.sid);
            },
            done: new Promise<CallStatus>((resolve) => (finish = resolve)),
          };
          calls.set(leg.sid, call);
          ended.set(leg.sid, () => finish('completed'));
          emit(leg.agentId, { type: 'accept', callSid: leg.sid });
        },
        onEnded: (leg, status) => {
          const call = calls.get(leg.sid);
          if (call) call.phase = 'ended';
          ended.get(leg.sid)?.();
          if (leg.agentId) emit(leg.agentId, { type: 'disconnect', callSid: leg.sid, status });
          setTimeout(() => calls.delete(leg.sid), 60_000).unref();
        },
      });
      const done = handle.done.catch((error: unknown) => {
        logger.warn('sim.inbound-failed', { callSid: handle.callSid, error: error instanceof Error ? error.message : String(error) });
        return 'failed' as const;
      });
      return { callSid: handle.callSid, done };
    },

    /** The agent answers the incoming call ringing on their device; the others stop ringing. */
    answerIncoming(agentId: string, legSid: string): void {
      const entry = ringing.get(legSid);
      if (!entry) throw new SimulatorError('not-found', 'This call is no longer ringing: a teammate answered it, or the caller hung up.');
      if (entry.agentId !== agentId) throw new SimulatorError('not-yours', 'That call belongs to another agent.');
      for (const c of calls.values()) {
        if (c.agentId === agentId && c.phase !== 'ended') throw new SimulatorError('busy', 'You are already on a call. Hang up first.');
      }
      if (!entry.handle.answer(legSid)) throw new SimulatorError('not-found', 'This call is no longer ringing: a teammate answered it, or the caller hung up.');
    },

    declineIncoming(agentId: string, legSid: string): void {
      const entry = ringing.get(legSid);
      if (!entry) throw new SimulatorError('not-found', 'This call is no longer ringing.');
      if (entry.agentId !== agentId) throw new SimulatorError('not-yours', 'That call belongs to another agent.');
      ringing.delete(legSid);
      entry.handle.decline(legSid);
    },

    /** A voicemail's audio (WAV), as Twilio's Recording resource serves it. */
    recording(sid: string): Buffer | undefined {
      return recordings.get(sid);
    },

    get(agentId: string, callSid: string): SimCall {
      const call = calls.get(callSid);
      if (!call) throw new SimulatorError('not-found', 'There is no simulated call with that id.');
      if (call.agentId !== agentId) throw new SimulatorError('not-yours', 'That call belongs to another agent.');
      return call;
    },

    async hangUp(agentId: string, callSid: string): Promise<CallStatus> {
      const call = this.get(agentId, callSid);
      call.hangUp();
      return call.done;
    },

    sendDigits(agentId: string, callSid: string, digits: string) {
      const call = this.get(agentId, callSid);
      call.digits += digits;
      logger.debug('sim.digits', { callSid, count: digits.length });
    },

    /** Mute is the agent's side only: the far end hears nothing different, so the simulator only checks the call is theirs. */
    mute(agentId: string, callSid: string) {
      this.get(agentId, callSid);
    },

    /** Hangs a call up as Twilio's REST API would (calls(sid).update({ status: 'completed' })), whoever placed it. */
    end(twilioCallSid: string): 'ended' | 'unknown' {
      const call = calls.get(twilioCallSid);
      if (!call || call.phase === 'ended') return 'unknown';
      call.hangUp();
      return 'ended';
    },

    /** The call's status as Twilio's REST API would report it (for the reconciler). */
    status(twilioCallSid: string): CallStatus | 'unknown' {
      const call = calls.get(twilioCallSid);
      if (!call) return 'unknown';
      return call.phase === 'ended' ? 'completed' : call.phase === 'connecting' ? 'initiated' : call.phase;
    },

    subscribe(agentId: string, listener: (event: SimDeviceEvent) => void): () => void {
      device.on(agentId, listener);
      return () => device.off(agentId, listener);
    },

    /** Ends every call (server shutdown). */
    async close() {
      const open = [...calls.values()].filter((c) => c.phase !== 'ended');
      for (const c of open) c.hangUp();
      await Promise.allSettled(open.map((c) => c.done));
    },
  };
}

export type TwilioSimulator = ReturnType<typeof createTwilioSimulator>;
