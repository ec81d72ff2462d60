// Twilio's side of one outbound client call: the signed Voice URL request, the TwiML it returns, the scripted far end and its callbacks.
// Shared by the simulator (/api/sim) and the Twilio signalling stand-in of the browser tests, so both play calls the same way.
import { randomBytes } from 'node:crypto';
import type { CallStatus } from '../../shared/call-status.js';
import type { Logger } from '../logger.js';
import type { PostResult } from './callback-poster.js';
import { SIM_TIMING, scriptedOutcome, type ScriptedOutcome } from './scripted-outcome.js';
import { readTwiml } from './twiml-reader.js';

export const newCallSid = () => `CA${randomBytes(16).toString('hex')}`;
const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');

export interface OutboundLegOptions {
  /** Posts one signed form to a URL (the caller adds AccountSid and signs). */
  post: (url: string, form: Record<string, string>) => Promise<PostResult>;
  voiceUrl: string;
  applicationSid: string;
  callSid: string;
  identity: string;
  to: string;
  /** The connect() parameters passed on to the Voice URL request as they are. */
  custom: Record<string, string>;
  /** Resolves when the agent hangs up; `hungUp()` says whether that already happened. */
  hangup: Promise<void>;
  hungUp: () => boolean;
  /** 1 = realistic timing; tests run faster with a smaller scale. */
  timeScale: number;
  timing?: typeof SIM_TIMING;
  outcome?: (e164: string) => ScriptedOutcome;
  logger: Logger;
  /** Twilio's events toward the caller's device. */
  onRefused: (code: number, message: string) => void;
  onRinging: () => void;
  onAnswered: () => void;
  /** The TwiML's <Number sendDigits>, played to the far end once it answered. */
  onDigitsSent?: (digits: string) => void;
  /** Called as the far end starts ringing and answers, before those callbacks are posted. */
  onPhase?: (phase: 'ringing' | 'in-progress') => void;
}

/** Plays the call to its end and returns its final status (the <Dial action>'s DialCallStatus). */
export async function runOutboundLeg(o: OutboundLegOptions): Promise<CallStatus> {
  const timing = o.timing ?? SIM_TIMING;
  const scale = o.timeScale;
  /** Waits `ms` of simulated time, or less if the agent hangs up; returns true when the agent hung up. */
  const wait = (ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (o.hungUp()) return resolve(true);
      const timer = setTimeout(() => resolve(false), ms * scale);
      void o.hangup.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });

  const voice = await o.post(o.voiceUrl, {
    CallSid: o.callSid,
    ApplicationSid: o.applicationSid,
    From: `client:${o.identity}`,
    Caller: `client:${o.identity}`,
    To: o.to,
    Called: o.to,
    CallStatus: 'ringing',
    Direction: 'inbound',
    ...o.custom,
  });
  if (voice.status !== 200) {
    o.onRefused(31000, `The backend answered the call's Voice URL request with HTTP ${voice.status}.`);
    return 'failed';
  }
  const twiml = readTwiml(voice.body);
  if (twiml.kind === 'hangup') {
    o.onRefused(31000, twiml.say ?? 'The call was refused.');
    return 'failed';
  }

  const child = newCallSid();
  const started = Date.now();
  let sequence = 0;
  let answeredAt: number | null = null;
  /** Set when the script, not the agent, ends an answered call: its length is then exact, whatever the timers did. */
  let scriptedSeconds: number | null = null;
  const wants = (event: string) => twiml.statusCallbackEvents.includes(event);
  const progress = async (status: CallStatus, extra: Record<string, string> = {}) => {
    if (!twiml.statusCallback) return;
    await o.post(twiml.statusCallback, {
      CallSid: child,
      ParentCallSid: o.callSid,
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
      await o.post(twiml.action, {
        CallSid: o.callSid,
        DialCallSid: child,
        DialCallStatus: status,
        DialCallDuration: String(duration),
        DialBridged: String(answeredAt !== null),
      });
    }
    return status;
  };

  if (wants('initiated')) await progress('initiated');
  const outcome = (o.outcome ?? scriptedOutcome)(twiml.number);
  if (outcome.kind === 'failed') {
    await wait(timing.failAfterMs);
    return finish('failed');
  }
  if (await wait(timing.ringingAfterMs)) return finish('canceled');
  o.onPhase?.('ringing');
  if (wants('ringing')) await progress('ringing');
  o.onRinging();

  if (outcome.kind === 'busy') {
    if (await wait(timing.busyAfterMs)) return finish('canceled');
    return finish('busy');
  }
  if (outcome.kind === 'no-answer') {
    if (await wait(timing.noAnswerAfterMs)) return finish('canceled');
    return finish('no-answer');
  }
  if (await wait(timing.answerAfterMs - timing.ringingAfterMs)) return finish('canceled');
  answeredAt = Date.now();
  o.onPhase?.('in-progress');
  if (wants('answered')) await progress('in-progress');
  o.onAnswered();
  if (twiml.sendDigits) o.onDigitsSent?.(twiml.sendDigits);
  o.logger.debug('sim.answered', { callSid: o.callSid, afterMs: answeredAt - started });

  if (outcome.kind === 'answer-then-hang-up') {
    if (!(await wait(outcome.hangUpAfterMs))) scriptedSeconds = outcome.hangUpAfterMs / 1000;
  } else await o.hangup;
  return finish('completed');
}
