// The simulated Twilio: places a call the way Twilio does — signed Voice URL request, then the TwiML's callbacks — over real HTTP.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { DialParams, SimDeviceEvent } from '../../shared/api.js';
import type { CallStatus } from '../../shared/call-status.js';
import type { Logger } from '../logger.js';
import type { TwilioCredentials } from '../twilio/twilio-credentials.js';
import { postSignedForm } from './callback-poster.js';
import { SIM_TIMING, scriptedOutcome } from './scripted-outcome.js';
import { readTwiml } from './twiml-reader.js';

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
  muted: boolean;
  digits: string;
  hangUp: () => void;
  hungUp: boolean;
  done: Promise<CallStatus>;
}

const sid = () => `CA${randomBytes(16).toString('hex')}`;
const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');

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

  const emit = (agentId: string, event: SimDeviceEvent) => device.emit(agentId, event);
  const post = (url: string, form: Record<string, string>) =>
    postSignedForm(url, { AccountSid: creds.accountSid, ApiVersion: '2010-04-01', ...form }, creds.authToken, { fetch: options.fetch, retryDelayMs: 200 * scale });

  /** Waits `ms` of simulated time, or less if the agent hangs up; returns true when the agent hung up. */
  function wait(call: SimCall, ms: number, hangup: Promise<void>): Promise<boolean> {
    return new Promise((resolve) => {
      if (call.hungUp) return resolve(true);
      const timer = setTimeout(() => resolve(false), ms * scale);
      void hangup.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  async function run(call: SimCall, identity: string, params: DialParams, hangup: Promise<void>): Promise<CallStatus> {
    const custom: Record<string, string> = {};
    for (const key of ['contactName', 'pageUrl', 'pageTitle', 'extension'] as const) if (params[key]) custom[key] = params[key]!;
    const voice = await post(`${options.publicBaseUrl}/api/twilio/outbound`, {
      CallSid: call.callSid,
      ApplicationSid: creds.twimlAppSid,
      From: `client:${identity}`,
      Caller: `client:${identity}`,
      To: params.To,
      Called: params.To,
      CallStatus: 'ringing',
      Direction: 'inbound',
      ...custom,
    });
    if (voice.status !== 200) {
      emit(call.agentId, { type: 'error', callSid: call.callSid, code: 31000, message: `The backend answered the call's Voice URL request with HTTP ${voice.status}.` });
      return 'failed';
    }
    const twiml = readTwiml(voice.body);
    if (twiml.kind === 'hangup') {
      emit(call.agentId, { type: 'error', callSid: call.callSid, code: 31000, message: twiml.say ?? 'The call was refused.' });
      return 'failed';
    }

    const child = sid();
    const started = Date.now();
    let sequence = 0;
    let answeredAt: number | null = null;
    /** Set when the script, not the agent, ends an answered call: its length is then exact, whatever the timers did. */
    let scriptedSeconds: number | null = null;
    const wants = (event: string) => twiml.statusCallbackEvents.includes(event);
    const progress = async (status: CallStatus, extra: Record<string, string> = {}) => {
      if (!twiml.statusCallback) return;
      await post(twiml.statusCallback, {
        CallSid: child,
        ParentCallSid: call.callSid,
        CallStatus: status,
        SequenceNumber: String(sequence++),
        Timestamp: rfc2822(new Date()),
        CallbackSource: 'call-progress-events',
        Direction: 'outbound-dial',
        From: twiml.callerId ?? '',
        To: twiml.number,
        ...extra,
      });
    };
    const finish = async (status: CallStatus): Promise<CallStatus> => {
      const duration = answeredAt === null ? 0 : (scriptedSeconds ?? Math.round((Date.now() - answeredAt) / (1000 * scale)));
      // The child leg's final event, then the <Dial action>: as Twilio sends them, one after the other.
      if (wants('completed')) await progress(status, { CallDuration: String(duration) });
      if (twiml.action) {
        await post(twiml.action, {
          CallSid: call.callSid,
          DialCallSid: child,
          DialCallStatus: status,
          DialCallDuration: String(duration),
          DialBridged: String(answeredAt !== null),
        });
      }
      return status;
    };

    if (wants('initiated')) await progress('initiated');
    const outcome = scriptedOutcome(twiml.number);
    if (outcome.kind === 'failed') {
      await wait(call, SIM_TIMING.failAfterMs, hangup);
      return finish('failed');
    }
    if (await wait(call, SIM_TIMING.ringingAfterMs, hangup)) return finish('canceled');
    call.phase = 'ringing';
    if (wants('ringing')) await progress('ringing');
    emit(call.agentId, { type: 'ringing', callSid: call.callSid });

    if (outcome.kind === 'busy') {
      if (await wait(call, SIM_TIMING.busyAfterMs, hangup)) return finish('canceled');
      return finish('busy');
    }
    if (outcome.kind === 'no-answer') {
      if (await wait(call, SIM_TIMING.noAnswerAfterMs, hangup)) return finish('canceled');
      return finish('no-answer');
    }
    if (await wait(call, SIM_TIMING.answerAfterMs - SIM_TIMING.ringingAfterMs, hangup)) return finish('canceled');
    answeredAt = Date.now();
    call.phase = 'in-progress';
    if (wants('answered')) await progress('in-progress');
    // <Number sendDigits>: Twilio plays them to the far end once it answers, as if dialled then.
    if (twiml.sendDigits) call.digits += twiml.sendDigits;
    emit(call.agentId, { type: 'accept', callSid: call.callSid });
    logger.debug('sim.answered', { callSid: call.callSid, afterMs: answeredAt - started });

    if (outcome.kind === 'answer-then-hang-up') {
      if (!(await wait(call, outcome.hangUpAfterMs, hangup))) scriptedSeconds = outcome.hangUpAfterMs / 1000;
    } else await hangup;
    return finish('completed');
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
        callSid: sid(),
        agentId,
        phase: 'connecting',
        muted: false,
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

    mute(agentId: string, callSid: string, muted: boolean) {
      this.get(agentId, callSid).muted = muted;
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
