// The Twilio softphone: a real Voice SDK Device behind the Softphone interface — readiness that means Twilio answered, bounded
// waits, hang-up in every phase, token renewal that cannot loop, and each call's end as the backend recorded it.
import type { Call, Device } from '@twilio/voice-sdk';
import { z } from 'zod';
import { callsPageSchema, voiceTokenResponseSchema, type DialParams } from '../../shared/api.js';
import { isTerminal, type CallStatus } from '../../shared/call-status.js';
import {
  CREDENTIAL_ERROR_CODES,
  describeVoiceError,
  MICROPHONE_ERROR_CODES,
  SIGNALLING_ERROR_CODES,
  TOKEN_ERROR_CODES,
  TWILIO_UNREACHABLE_MESSAGE,
} from '../protocol/voice-errors.js';
import type { CallError, SoftphoneEvent } from '../protocol/softphone.js';
import { BackendError, requestJson } from '../lib/backend-client.js';
import { BaseSoftphone, NOT_RINGING_MESSAGE, SIGN_IN_MESSAGE, SoftphoneError, type AuthProvider } from './softphone.js';
import { incomingFromParams, isCallLive } from '../protocol/softphone.js';
import { registrationKeeper, type RegistrationKeeper } from './registration-keeper.js';

/** The part of the SDK's Call this softphone uses. */
export type CallLike = Pick<Call, 'on' | 'sendDigits' | 'mute' | 'disconnect' | 'parameters'> & Partial<Pick<Call, 'accept' | 'reject' | 'customParameters'>>;
/** The part of the SDK's Device this softphone uses. */
export interface DeviceLike {
  on: Device['on'];
  readonly state: string;
  /** The edge signalling is connected to; null while it is not (the SDK sets it on `connected`, clears it offline). */
  readonly edge: string | null;
  register(): Promise<void>;
  updateToken(token: string): void;
  connect(options: { params: Record<string, string> }): Promise<CallLike>;
  destroy(): void;
}

/**
 * How long each wait may last (milliseconds); tests may shorten them.
 * - signalling (10 s): from the click until the SDK holds the call, which waits for signalling's `connected`. The SDK gives
 *   one websocket attempt 5 s (its connectTimeoutMs), so this allows two attempts and the back-off between them; a healthy
 *   connection opens in well under a second, even across an ocean (TLS is a few round trips). Beyond 10 s people give up anyway.
 * - ringing (20 s): from the call's invite until Twilio says it rings (or answers, or ends it). Twilio first fetches our Voice
 *   URL, with its own 15 s webhook timeout, then dials; when Twilio fails the call itself, its answer comes before this.
 * - registration (10 s): the same bound as signalling, for "Ready to call": the device registered with Twilio.
 * - record (2.5 s): after Twilio ends a call, how long to wait for the backend's record of it (busy, no answer, refused) —
 *   Twilio posts its final callbacks within about a second of the hang-up; after that the SDK's own view is shown.
 */
export interface TwilioTimeouts {
  signallingMs: number;
  ringingMs: number;
  registrationMs: number;
  recordMs: number;
  /** First wait before a new token after Twilio refused one; doubles each time. */
  renewBackoffMs: number;
}
const TWILIO_TIMEOUTS: TwilioTimeouts = { signallingMs: 10_000, ringingMs: 20_000, registrationMs: 10_000, recordMs: 2_500, renewBackoffMs: 1_000 };
/** New tokens tried in a row after Twilio refused one, before saying so (3: 1 s, 2 s, 4 s apart — 7 s in all). */
export const MAX_TOKEN_RENEWALS = 3;

export interface TwilioSoftphoneDeps {
  getAuth: AuthProvider;
  /** Builds the Device; the offscreen entry passes `(token) => new Device(token, …)`. */
  createDevice: (token: string) => DeviceLike;
  fetchImpl?: typeof fetch;
  now?: () => number;
  timeouts?: Partial<TwilioTimeouts>;
  /** Resolves when the microphone may be used; rejects (like getUserMedia) when it cannot. */
  checkMicrophone?: () => Promise<void>;
}

interface TwilioErrorLike {
  code?: number;
  message?: string;
}

/** One dial, from the click to its end. */
interface Attempt {
  id: string;
  params: DialParams;
  device: DeviceLike;
  call: CallLike | null;
  over: boolean;
  /** Twilio ended it; the end waits for the backend's record. */
  ending: boolean;
  timer: ReturnType<typeof setTimeout> | null;
  /** The last signalling error the Device reported while this call was starting. */
  signallingError: number | null;
}

export class TwilioSoftphone extends BaseSoftphone {
  readonly mode = 'twilio' as const;
  private readonly timeouts: TwilioTimeouts;
  private device: DeviceLike | null = null;
  private preparing: Promise<DeviceLike> | null = null;
  private registration: Promise<void> | null = null;
  private attempt: Attempt | null = null;
  private refreshing: Promise<boolean> | null = null;
  private renewing: Promise<void> | null = null;
  /** Tokens Twilio refused in a row (reset when the device registers). */
  private refusals = 0;
  /** Set when Twilio could not be reached or refused us: the next dial starts from a fresh device. */
  private broken = false;
  private registrationTimer: ReturnType<typeof setTimeout> | null = null;
  private destroyed = false;
  /** Call SIDs and record ids of this softphone's earlier calls, which a later call's record can never be. */
  private readonly ownRecords = new Set<string>();
  /** Counts dropped devices, so that a device still being built for a dropped one is never installed. */
  private generation = 0;

  constructor(private readonly deps: TwilioSoftphoneDeps) {
    super('twilio', deps.now);
    this.timeouts = { ...TWILIO_TIMEOUTS, ...deps.timeouts };
    this.incomingRegistration = registrationKeeper({ post: (registered) => this.postRegistration(registered) });
  }

  protected get microphoneCheck(): (() => Promise<void>) | undefined {
    return this.deps.checkMicrophone;
  }

  /** Ready means registered with Twilio, not merely holding a token; the wait is bounded and its failure said. */
  protected async getReady(): Promise<DeviceLike> {
    const device = await this.ensureDevice();
    await this.registration;
    if (this.device !== device || (device.state !== 'registered' && !device.edge)) throw new SoftphoneError(this.getState().deviceError ?? { code: null, message: TWILIO_UNREACHABLE_MESSAGE, action: null });
    return device;
  }

  async dial(params: DialParams): Promise<void> {
    this.store.assertIdle();
    // After Twilio was unreachable or refused us, a click starts over now rather than waiting on the SDK's back-off (up to 20 s).
    if (this.broken) this.dropDevice();
    const device = await this.ensureDevice();
    this.store.assertIdle();
    const attempt: Attempt = {
      id: this.startCall(params),
      params,
      device,
      call: null,
      over: false,
      ending: false,
      timer: null,
      signallingError: null,
    };
    this.attempt = attempt;
    this.arm(attempt, this.timeouts.signallingMs, () => this.failAttempt(attempt, { code: attempt.signallingError, message: TWILIO_UNREACHABLE_MESSAGE, action: null }));
    this.connect(attempt);
  }

  async hangup(): Promise<void> {
    const attempt = this.attempt;
    if (!attempt || attempt.over || attempt.ending) return;
    const phase = this.store.get().call?.phase;
    attempt.call?.disconnect();
    this.finish(attempt, phase === 'open' ? { type: 'disconnect', status: 'completed', at: this.now() } : { type: 'cancel', at: this.now() });
    // Before Twilio rang, the SDK may still hold this call — a connect waiting for signalling, an invite queued on a closed
    // socket — and would place it once signalling came back: the device goes with it.
    if (phase === 'connecting') this.dropDevice(true);
  }

  async sendDigits(digits: string): Promise<void> {
    if (this.store.get().call?.phase === 'open') this.attempt?.call?.sendDigits(digits);
  }

  async setMuted(muted: boolean): Promise<void> {
    // The Call's own `mute` event moves the state, so the model follows what the SDK did.
    this.attempt?.call?.mute(muted);
  }

  /** Incoming calls ringing on this Device, by their CallSid (Twilio's `incoming`, until answered, declined or cancelled). */
  private readonly ringing = new Map<string, CallLike>();
  /** Tells the backend this Device takes incoming calls while Twilio has it registered. */
  private readonly incomingRegistration: RegistrationKeeper;

  async answer(callSid: string): Promise<void> {
    const call = this.ringing.get(callSid);
    const incoming = this.store.get().incoming;
    if (!call || incoming?.callSid !== callSid || !this.device) throw new SoftphoneError({ code: null, message: NOT_RINGING_MESSAGE, action: null });
    this.store.assertIdle();
    await this.checkMicrophone();
    this.ringing.delete(callSid);
    this.store.setIncoming(null);
    const params: DialParams = { To: incoming.from, ...(incoming.contactName ? { contactName: incoming.contactName } : {}), ...(incoming.pageUrl ? { pageUrl: incoming.pageUrl } : {}), ...(incoming.pageTitle ? { pageTitle: incoming.pageTitle } : {}) };
    const id = crypto.randomUUID();
    this.store.apply({ type: 'dial', id, to: incoming.from, contactName: params.contactName, pageUrl: params.pageUrl, pageTitle: params.pageTitle, at: this.now(), direction: 'inbound' });
    const attempt: Attempt = { id, params, device: this.device, call, over: false, ending: false, timer: null, signallingError: null };
    this.attempt = attempt;
    this.watch(attempt, call);
    call.accept?.();
  }

  async decline(callSid: string): Promise<void> {
    const call = this.ringing.get(callSid);
    this.ringing.delete(callSid);
    if (this.store.get().incoming?.callSid === callSid) this.store.setIncoming(null);
    call?.reject?.();
  }

  /** A call to the organization's number rings here: kept until answered, declined or cancelled (a teammate answered). */
  private onIncoming(device: DeviceLike, call: CallLike): void {
    const sid = call.parameters?.CallSid;
    if (this.device !== device || !sid) return;
    if (isCallLive(this.store.get().call)) {
      call.reject?.();
      return;
    }
    this.ringing.set(sid, call);
    const params: Record<string, string> = {};
    for (const [k, v] of call.customParameters ?? new Map<string, string>()) params[k] = v;
    this.store.setIncoming(incomingFromParams(sid, { From: call.parameters?.From, ...params }, this.now()));
    const gone = () => {
      this.ringing.delete(sid);
      if (this.store.get().incoming?.callSid === sid) this.store.setIncoming(null);
    };
    call.on('cancel', gone);
    call.on('reject', gone);
    call.on('disconnect', () => {
      if (this.ringing.has(sid)) gone();
    });
  }

  /** The backend rings only agents whose softphone says it is registered; said again every few minutes while it is. */
  private tellRegistration(registered: boolean): void {
    if (registered) this.incomingRegistration.register();
    else this.incomingRegistration.stop(true);
  }

  private async postRegistration(registered: boolean): Promise<void> {
    const auth = await this.deps.getAuth();
    if (!auth.accessToken) return;
    await requestJson({ backendUrl: auth.backendUrl, path: '/api/softphone/registration', token: auth.accessToken, body: { registered }, schema: z.unknown(), fetchImpl: this.deps.fetchImpl });
  }

  destroy(): void {
    this.destroyed = true;
    if (this.incomingRegistration.active) this.tellRegistration(false);
    for (const call of this.ringing.values()) call.reject?.();
    this.ringing.clear();
    const attempt = this.attempt;
    if (attempt) {
      attempt.call?.disconnect();
      this.finish(attempt, { type: 'disconnect', at: this.now() });
    }
    this.dropDevice();
  }

  private connect(attempt: Attempt): void {
    const custom: Record<string, string> = { To: attempt.params.To };
    if (attempt.params.contactName) custom.contactName = attempt.params.contactName;
    if (attempt.params.pageUrl) custom.pageUrl = attempt.params.pageUrl;
    if (attempt.params.pageTitle) custom.pageTitle = attempt.params.pageTitle;
    // The backend checks the extension and has Twilio send it after the answer (<Number sendDigits>).
    if (attempt.params.extension) custom.extension = attempt.params.extension;
    // The caller id the agent chose: the backend uses it only if it is their organization's.
    if (attempt.params.callFrom) custom.callFrom = attempt.params.callFrom;
    const device = attempt.device;
    device.connect({ params: custom }).then(
      (call) => {
        // Given up (hang-up, timeout) or moved to a new device while the SDK waited: this call must not go out.
        if (attempt.over || attempt.device !== device) {
          call.disconnect();
          return;
        }
        attempt.call = call;
        this.arm(attempt, this.timeouts.ringingMs, () =>
          this.failAttempt(attempt, { code: null, message: 'Twilio did not start the call within 20 seconds; try again, and if it keeps happening tell your administrator.', action: null }),
        );
        this.watch(attempt, call);
      },
      (error: unknown) => {
        if (attempt.over || attempt.device !== device) return;
        this.failAttempt(attempt, describeVoiceError(codeOf(error), messageOf(error)));
      },
    );
  }

  /** Maps one Call's events onto the state model; events once the attempt is over are ignored. */
  private watch(attempt: Attempt, call: CallLike): void {
    const live = () => !attempt.over && !attempt.ending && attempt.call === call;
    const noteSid = () => {
      const sid = call.parameters?.CallSid;
      if (sid) this.ownRecords.add(sid);
      if (sid && this.store.get().call?.callSid !== sid) this.store.apply({ type: 'sid', callSid: sid });
    };
    call.on('ringing', () => {
      if (!live()) return;
      this.disarm(attempt);
      noteSid();
      this.store.apply({ type: 'ringing' });
    });
    call.on('accept', () => {
      if (!live()) return;
      this.disarm(attempt);
      noteSid();
      this.store.apply({ type: 'accept', at: this.now() });
    });
    call.on('mute', (muted: boolean) => {
      if (live()) this.store.apply({ type: 'mute', muted });
    });
    call.on('warning', (name: string) => {
      if (live()) this.store.apply({ type: 'warning', name });
    });
    call.on('warning-cleared', (name: string) => {
      if (live()) this.store.apply({ type: 'warning-cleared', name });
    });
    // A websocket blip on an answered call: Twilio holds it (maxCallSignalingTimeoutMs) while the SDK reconnects.
    call.on('reconnecting', () => {
      if (live()) this.store.apply({ type: 'warning', name: 'signalling-reconnecting' });
    });
    call.on('reconnected', () => {
      if (!live()) return;
      this.store.apply({ type: 'warning-cleared', name: 'signalling-reconnecting' });
      // The server's record is the truth: a call that ended there while signalling was down ends here too.
      void this.reconcileAfterReconnect(attempt, call);
    });
    call.on('error', (error: TwilioErrorLike) => {
      if (live()) this.store.apply({ type: 'error', error: describeVoiceError(codeOf(error), messageOf(error)) });
    });
    call.on('cancel', () => {
      if (live()) this.finish(attempt, { type: 'cancel', at: this.now() });
    });
    call.on('reject', () => {
      if (live()) this.finish(attempt, { type: 'reject', at: this.now() });
    });
    call.on('disconnect', () => {
      // The SDK emits `disconnect` before the `error` that explains it (a refused microphone): let that land first.
      queueMicrotask(() => {
        if (live()) void this.endAsRecorded(attempt);
      });
    });
  }

  /** After a signalling blip: when the backend has recorded the call's end meanwhile, the SDK's call is dropped with that status. */
  private async reconcileAfterReconnect(attempt: Attempt, call: CallLike): Promise<void> {
    const callSid = this.store.get().call?.callSid;
    if (!callSid) return;
    let recorded: { status: CallStatus } | undefined;
    try {
      const auth = await this.deps.getAuth();
      if (!auth.accessToken) return;
      const page = await requestJson({ backendUrl: auth.backendUrl, path: '/api/calls?limit=10', token: auth.accessToken, schema: callsPageSchema, fetchImpl: this.deps.fetchImpl });
      recorded = page.calls.find((c) => c.twilioCallSid === callSid);
    } catch {
      return; // Unreachable: the SDK's view stands; the next reconnect or the call's end checks again.
    }
    if (!recorded || !isTerminal(recorded.status) || attempt.over || attempt.ending || attempt.call !== call) return;
    attempt.ending = true;
    this.disarm(attempt);
    call.disconnect();
    this.finish(attempt, { type: 'disconnect', status: recorded.status, at: this.now() });
  }

  /** Twilio ended the call: its outcome (busy, no answer, refused…) is what the backend recorded, not the SDK's disconnect. */
  private async endAsRecorded(attempt: Attempt): Promise<void> {
    attempt.ending = true;
    this.disarm(attempt);
    const live = this.store.get().call;
    // An error the SDK raised itself (a refused microphone) ended it here: Twilio's record, if any, says nothing more.
    const recorded = live && !live.error ? await this.recordedEnd(live.callSid, live.to, live.startedAt).catch(() => null) : null;
    if (attempt.over) return;
    const current = this.store.get().call;
    if (recorded && recorded.status === 'failed' && recorded.errorMessage && !current?.error) {
      this.store.apply({ type: 'error', error: describeVoiceError(null, recorded.errorMessage, true) });
    }
    this.finish(attempt, { type: 'disconnect', status: recorded?.status, at: this.now() });
  }

  /**
   * The backend's record of this call: by its CallSid once Twilio named it (ringing, answer). A call Twilio ended before
   * ringing is known to the SDK only by its temporary TJS… id: then the newest record to the same number, made since the
   * click (a minute's leeway for the clocks) — the agent has one call at a time.
   */
  private async recordedEnd(callSid: string | null, to: string, startedAt: number): Promise<{ status: CallStatus; errorMessage: string | null } | null> {
    if (callSid) this.ownRecords.add(callSid);
    const deadline = this.now() + this.timeouts.recordMs;
    for (;;) {
      const auth = await this.deps.getAuth();
      if (!auth.accessToken) return null;
      const page = await requestJson({ backendUrl: auth.backendUrl, path: '/api/calls?limit=10', token: auth.accessToken, schema: callsPageSchema, fetchImpl: this.deps.fetchImpl });
      const call = callSid
        ? page.calls.find((c) => c.twilioCallSid === callSid)
        : page.calls.find(
            (c) =>
              c.direction === 'outbound' &&
              c.toNumber === to &&
              Date.parse(c.createdAt) >= startedAt - 60_000 &&
              !this.ownRecords.has(c.id) &&
              !(c.twilioCallSid && this.ownRecords.has(c.twilioCallSid)),
          );
      // Never the same record for two calls (an earlier call to this number within the leeway).
      if (call && !callSid) this.ownRecords.add(call.id);
      // No record at all: the backend never saw this call, nothing more will come.
      if (!call) return null;
      if (isTerminal(call.status)) return { status: call.status, errorMessage: call.errorMessage };
      if (this.now() >= deadline) return null;
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  private arm(attempt: Attempt, ms: number, onTimeout: () => void): void {
    this.disarm(attempt);
    attempt.timer = setTimeout(() => {
      attempt.timer = null;
      if (!attempt.over && !attempt.ending) onTimeout();
    }, ms);
  }

  private disarm(attempt: Attempt): void {
    if (attempt.timer) clearTimeout(attempt.timer);
    attempt.timer = null;
  }

  /**
   * Ends a call that could not start, with the reason; whatever the SDK still holds of it is dropped with the device, and
   * (unless the caller drops it for good) a new device gets ready.
   */
  private failAttempt(attempt: Attempt, error: CallError, prepareAgain = true): void {
    if (attempt.over) return;
    const phase = this.store.get().call?.phase;
    attempt.call?.disconnect();
    this.store.apply({ type: 'error', error });
    this.finish(attempt, { type: 'disconnect', status: 'failed', at: this.now() });
    if (phase === 'connecting') this.dropDevice(prepareAgain);
  }

  private finish(attempt: Attempt, event: Extract<SoftphoneEvent, { type: 'disconnect' | 'cancel' | 'reject' }>): void {
    if (attempt.over) return;
    attempt.over = true;
    this.disarm(attempt);
    if (this.attempt === attempt) this.attempt = null;
    if (this.store.get().call?.id === attempt.id) this.store.apply(event);
  }

  /** Destroys the device; with `again`, a new one gets ready at once so "Ready to call" comes back by itself. */
  private dropDevice(again = false): void {
    const device = this.device;
    this.generation += 1;
    this.device = null;
    this.preparing = null;
    this.registration = null;
    this.broken = false;
    if (this.registrationTimer) clearTimeout(this.registrationTimer);
    this.registrationTimer = null;
    if (device) {
      try {
        device.destroy();
      } catch {
        // Already destroyed.
      }
    }
    if (again && !this.destroyed) void this.prepare();
  }

  /** Errors arrive on the Device, not the Call, when signalling or the token fails — and connect() then never settles. */
  private onDeviceError(device: DeviceLike, error: TwilioErrorLike, call: CallLike | undefined): void {
    if (device !== this.device) return;
    const code = codeOf(error);
    const attempt = this.attempt && !this.attempt.over && this.attempt.device === device ? this.attempt : null;
    if (code !== null && MICROPHONE_ERROR_CODES.has(code)) {
      if (!attempt) this.store.setDevice(this.getState().ready, describeVoiceError(code));
      return;
    }
    if (code !== null && CREDENTIAL_ERROR_CODES.has(code)) {
      // A new token from this server would be refused the same way: stop, say who can fix it.
      const reason = describeVoiceError(code, messageOf(error));
      if (attempt) this.failAttempt(attempt, reason, false);
      this.dropDevice();
      this.broken = true;
      this.store.setDevice(false, reason);
      return;
    }
    if (code !== null && TOKEN_ERROR_CODES.has(code)) {
      void this.renew(code, messageOf(error));
      return;
    }
    if (code !== null && SIGNALLING_ERROR_CODES.has(code)) {
      if (attempt && !attempt.call) attempt.signallingError = code;
      return;
    }
    // A call-level error signalling names (busy, declined, not found…): it explains the hang-up that follows.
    if (attempt && (!call || call === attempt.call)) this.store.apply({ type: 'error', error: describeVoiceError(code, messageOf(error)) });
  }

  /**
   * Twilio refused the token (expired, not yet valid, invalid): a new device with a new token, one at a time, after 1, 2, 4 s;
   * after MAX_TOKEN_RENEWALS refusals in a row, the reason. A call still starting moves to the new device (nothing was placed).
   */
  private renew(code: number, message: string | undefined): Promise<void> {
    if (this.renewing) return this.renewing;
    this.refusals += 1;
    const attempt = this.attempt && !this.attempt.over ? this.attempt : null;
    if (this.refusals > MAX_TOKEN_RENEWALS) {
      const reason = describeVoiceError(code, message);
      if (attempt && !attempt.call) this.failAttempt(attempt, reason, false);
      this.dropDevice();
      this.broken = true;
      this.store.setDevice(false, reason);
      return Promise.resolve();
    }
    // An answered call keeps its media whatever the token: renew once it is over (tokenWillExpire does it before then).
    if (attempt?.call) return Promise.resolve();
    this.dropDevice();
    const backoffMs = this.timeouts.renewBackoffMs * 2 ** (this.refusals - 1);
    this.renewing = (async () => {
      try {
        await new Promise((r) => setTimeout(r, backoffMs));
      } finally {
        // From here the new device's own refusal, if any, starts the next renewal.
        this.renewing = null;
      }
      if (this.destroyed) return;
      const device = await this.ensureDevice().catch(() => null);
      const waiting = this.attempt && !this.attempt.over && !this.attempt.call ? this.attempt : null;
      if (device && waiting) {
        waiting.device = device;
        this.connect(waiting);
      }
    })();
    return this.renewing;
  }

  private async fetchToken(): Promise<string> {
    const auth = await this.deps.getAuth();
    if (!auth.accessToken) throw new SoftphoneError({ code: null, message: SIGN_IN_MESSAGE, action: 'sign-in' });
    try {
      const { token } = await requestJson({
        backendUrl: auth.backendUrl,
        path: '/api/twilio/token',
        token: auth.accessToken,
        body: {},
        schema: voiceTokenResponseSchema,
        fetchImpl: this.deps.fetchImpl,
      });
      return token;
    } catch (error) {
      if (error instanceof BackendError) throw new SoftphoneError({ code: null, message: error.message, action: error.action });
      throw error;
    }
  }

  /** The token is about to expire: a new one into the same device, one request at a time. */
  private refreshToken(device: DeviceLike): Promise<boolean> {
    this.refreshing ??= (async () => {
      try {
        const token = await this.fetchToken();
        if (this.device === device) device.updateToken(token);
        return true;
      } catch (error) {
        this.store.setDevice(this.getState().ready, error instanceof SoftphoneError ? error.error : describeVoiceError(null));
        return false;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private ensureDevice(): Promise<DeviceLike> {
    if (this.device) return Promise.resolve(this.device);
    const generation = this.generation;
    this.preparing ??= (async () => {
      try {
        const token = await this.fetchToken();
        if (generation !== this.generation) {
          // Dropped meanwhile (renewal, hang-up): whoever dropped it builds the next one.
          throw new SoftphoneError(this.getState().deviceError ?? { code: null, message: TWILIO_UNREACHABLE_MESSAGE, action: null });
        }
        const device = this.deps.createDevice(token);
        this.device = device;
        device.on('tokenWillExpire', () => void this.refreshToken(device));
        device.on('error', (error: TwilioErrorLike, call?: CallLike) => this.onDeviceError(device, error, call));
        device.on('registered', () => {
          if (this.device !== device) return;
          this.refusals = 0;
          this.broken = false;
          if (this.registrationTimer) clearTimeout(this.registrationTimer);
          this.registrationTimer = null;
          this.store.setDevice(true, null);
          this.tellRegistration(true);
        });
        device.on('incoming', (call: CallLike) => this.onIncoming(device, call));
        device.on('unregistered', () => {
          if (this.device !== device) return;
          this.tellRegistration(false);
          // The socket dropped: the SDK reconnects and registers again by itself; say so if it takes too long.
          this.store.setDevice(false, null);
          this.watchRegistration(device);
        });
        this.store.setDevice(false, null);
        this.registration = this.register(device);
        return device;
      } catch (error) {
        const callError = error instanceof SoftphoneError ? error.error : describeVoiceError(codeOf(error), messageOf(error));
        if (generation === this.generation) this.store.setDevice(false, callError);
        throw new SoftphoneError(callError);
      } finally {
        if (generation === this.generation) this.preparing = null;
      }
    })();
    return this.preparing;
  }

  /**
   * Registers the device (which opens signalling); resolves when it did, or when the bound passed. Ready then means Twilio
   * answered: registered, or at least signalling connected (an outgoing-only token's registration may never be confirmed).
   */
  private register(device: DeviceLike): Promise<void> {
    this.watchRegistration(device);
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.timeouts.registrationMs);
      device.register().then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        () => {
          clearTimeout(timer);
          resolve();
        },
      );
    });
  }

  private watchRegistration(device: DeviceLike): void {
    if (this.registrationTimer) clearTimeout(this.registrationTimer);
    this.registrationTimer = setTimeout(() => {
      this.registrationTimer = null;
      if (this.device !== device || device.state === 'registered' || this.getState().deviceError) return;
      // Signalling is up (Twilio answered `listen`) though the registration was not confirmed: calls can go out.
      if (device.edge) {
        this.store.setDevice(true, null);
        return;
      }
      this.broken = true;
      this.store.setDevice(false, { code: null, message: TWILIO_UNREACHABLE_MESSAGE, action: null });
    }, this.timeouts.registrationMs);
  }
}

function codeOf(error: unknown): number | null {
  const code = (error as TwilioErrorLike | null)?.code;
  return typeof code === 'number' ? code : null;
}

function messageOf(error: unknown): string | undefined {
  const message = (error as TwilioErrorLike | null)?.message;
  return typeof message === 'string' ? message : undefined;
}
