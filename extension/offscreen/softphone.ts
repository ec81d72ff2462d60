// The one Softphone interface both implementations (Twilio Voice SDK, simulated) satisfy, and the state they share.
import type { DialParams } from '../../shared/api.js';
import {
  applySoftphoneEvent,
  INITIAL_SOFTPHONE_STATE,
  isCallLive,
  type CallError,
  type IncomingCall,
  type SoftphoneEvent,
  type SoftphoneMode,
  type SoftphoneState,
} from '../protocol/softphone.js';
import { describeVoiceError } from '../protocol/voice-errors.js';
import { MicrophoneProblem } from './microphone.js';

export interface Softphone {
  readonly mode: SoftphoneMode;
  /** Gets ready ahead of the first click (token, event stream). Never throws: failures land in state.deviceError. */
  prepare(): Promise<void>;
  /** Starts a call; rejects with a SoftphoneError when it cannot start. `params.extension` goes to the backend with it. */
  dial(params: DialParams): Promise<void>;
  hangup(): Promise<void>;
  sendDigits(digits: string): Promise<void>;
  setMuted(muted: boolean): Promise<void>;
  /** Answers the incoming call ringing here (named by its CallSid); rejects with a SoftphoneError when it cannot. */
  answer(callSid: string): Promise<void>;
  /** Declines it: it stops ringing here, and rings on for the others. */
  decline(callSid: string): Promise<void>;
  getState(): SoftphoneState;
  subscribe(listener: (state: SoftphoneState) => void): () => void;
  destroy(): void;
}

/** How a softphone reaches the backend: its URL and a fresh access token (null when signed out). */
export type AuthProvider = () => Promise<{ backendUrl: string; accessToken: string | null }>;

export class SoftphoneError extends Error {
  constructor(readonly error: CallError) {
    super(error.message);
    this.name = 'SoftphoneError';
  }
}

const CALL_IN_PROGRESS_MESSAGE = 'A call is already in progress; hang up before calling another number.';
export const SIGN_IN_MESSAGE = 'Sign in to call.';
export const NOT_RINGING_MESSAGE = 'That call is no longer ringing: a teammate answered it, or the caller hung up.';

/** State bookkeeping shared by both implementations: apply events, notify listeners. */
class SoftphoneStateStore {
  private state: SoftphoneState;
  private readonly listeners = new Set<(state: SoftphoneState) => void>();

  constructor(mode: SoftphoneMode) {
    this.state = { ...INITIAL_SOFTPHONE_STATE, mode };
  }

  get(): SoftphoneState {
    return this.state;
  }

  apply(event: SoftphoneEvent): void {
    const call = applySoftphoneEvent(this.state.call, event);
    if (call !== this.state.call) this.set({ ...this.state, call });
  }

  /** The incoming call ringing now (null: none). */
  setIncoming(incoming: IncomingCall | null): void {
    if ((this.state.incoming ?? null) === incoming) return;
    this.set({ ...this.state, incoming });
  }

  /** A microphone that does not work: while set, the device is never "ready" and its sentence is the device error. */
  private microphoneProblem: CallError | null = null;
  private device: { ready: boolean; deviceError: CallError | null } = { ready: false, deviceError: null };

  setDevice(ready: boolean, deviceError: CallError | null): void {
    this.device = { ready, deviceError };
    this.publishDevice();
  }

  /** The last microphone check's outcome (null: it works). */
  setMicrophone(problem: CallError | null): void {
    this.microphoneProblem = problem;
    this.publishDevice();
  }

  private publishDevice(): void {
    const ready = this.device.ready && !this.microphoneProblem;
    const deviceError = this.microphoneProblem ?? this.device.deviceError;
    if (ready === this.state.ready && deviceError === this.state.deviceError) return;
    this.set({ ...this.state, ready, deviceError });
  }

  /** Throws when a call is live: one call at a time. */
  assertIdle(): void {
    if (isCallLive(this.state.call)) {
      throw new SoftphoneError({ code: null, message: CALL_IN_PROGRESS_MESSAGE, action: null });
    }
  }

  subscribe(listener: (state: SoftphoneState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(state: SoftphoneState): void {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}

/** A new local call id. */
function newCallId(): string {
  return crypto.randomUUID();
}

/**
 * What both implementations do the same way: their state and its listeners, prepare() that never throws, the clock,
 * and recording the start of a call. Each implementation says how it gets ready and how it places, ends and steers a call.
 */
export abstract class BaseSoftphone implements Softphone {
  abstract readonly mode: SoftphoneMode;
  protected readonly store: SoftphoneStateStore;

  constructor(mode: SoftphoneMode, private readonly clock: (() => number) | undefined) {
    this.store = new SoftphoneStateStore(mode);
  }

  getState(): SoftphoneState {
    return this.store.get();
  }

  subscribe(listener: (state: SoftphoneState) => void): () => void {
    return this.store.subscribe(listener);
  }

  async prepare(): Promise<void> {
    try {
      await this.getReady();
      await this.checkMicrophone();
    } catch {
      // The failure is in state.deviceError; dial() tries again.
    }
  }

  /** Resolves when the microphone may be used; rejects (like getUserMedia) when it cannot. Undefined: not checked. */
  protected abstract readonly microphoneCheck: (() => Promise<void>) | undefined;

  /**
   * "Ready" is only true while the microphone works, so the agent is not told to call with a microphone that would fail
   * the call; the failure's own sentence (blocked, never allowed, missing, busy) is the device error until it works.
   */
  protected async checkMicrophone(): Promise<void> {
    if (!this.microphoneCheck) return;
    try {
      await this.microphoneCheck();
      this.store.setMicrophone(null);
    } catch (error) {
      const problem = error instanceof MicrophoneProblem ? error.error : describeVoiceError(31208);
      this.store.setMicrophone(problem);
      throw new SoftphoneError(problem);
    }
  }

  /** Token, device or event stream: what the first dial needs. Records failures in state.deviceError, then throws. */
  protected abstract getReady(): Promise<unknown>;

  protected now(): number {
    return (this.clock ?? Date.now)();
  }

  /** Records a new outgoing call as dialling and returns its local id. */
  protected startCall(params: DialParams): string {
    const id = newCallId();
    this.store.apply({ type: 'dial', id, to: params.To, extension: params.extension, contactName: params.contactName, pageUrl: params.pageUrl, pageTitle: params.pageTitle, at: this.now() });
    return id;
  }

  abstract dial(params: DialParams): Promise<void>;
  abstract hangup(): Promise<void>;
  abstract sendDigits(digits: string): Promise<void>;
  abstract setMuted(muted: boolean): Promise<void>;
  abstract answer(callSid: string): Promise<void>;
  abstract decline(callSid: string): Promise<void>;
  abstract destroy(): void;
}
