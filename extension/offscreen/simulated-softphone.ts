// The simulated softphone: the Softphone interface driven by the backend's /api/sim routes and event stream.
import { callsPageSchema, simCallResponseSchema, simDeviceEventSchema, type DialParams, type SimDeviceEvent } from '../../shared/api.js';
import { isTerminal, type CallStatus } from '../../shared/call-status.js';
import { incomingFromParams, isCallLive } from '../protocol/softphone.js';
import { registrationKeeper, type RegistrationKeeper } from './registration-keeper.js';
import { describeVoiceError } from '../protocol/voice-errors.js';
import { z } from 'zod';
import { BackendError, requestJson } from '../lib/backend-client.js';
import { BACKEND_RESTARTING_MESSAGE, endReason, readEventStream } from '../lib/sse-stream.js';
import {
  BaseSoftphone,
  NOT_RINGING_MESSAGE,
  SIGN_IN_MESSAGE,
  SoftphoneError,
  type AuthProvider,
} from './softphone.js';

export interface SimulatedSoftphoneDeps {
  getAuth: AuthProvider;
  /** Resolves when the microphone may be used; rejects (like getUserMedia) when it is blocked. */
  checkMicrophone?: () => Promise<void>;
  fetchImpl?: typeof fetch;
  now?: () => number;
  /** Delay before reopening a dropped event stream. */
  reconnectMs?: number;
  /** How often the registration for incoming calls is renewed while the event stream is open. */
  registrationRenewMs?: number;
  /** The first wait before a refused or failed registration is tried again (doubling, at most 30 s). */
  registrationRetryMs?: number;
}

const okSchema = z.unknown();
/** How long a restart may take before "can't reach the backend" is said instead. */
const RESTART_PATIENCE_MS = 60_000;
const RESTARTING = { code: null, message: BACKEND_RESTARTING_MESSAGE, action: null };

export class SimulatedSoftphone extends BaseSoftphone {
  readonly mode = 'simulated' as const;
  private stream: { abort: AbortController; opened: Promise<void> } | null = null;
  private destroyed = false;
  /** Events that arrived before POST /api/sim/calls told us the call's SID. */
  private readonly early = new Map<string, SimDeviceEvent[]>();
  private hangupRequested = false;
  /** When the backend said it was shutting down; null once the stream is open again. */
  private restartingSince: number | null = null;

  constructor(private readonly deps: SimulatedSoftphoneDeps) {
    super('simulated', deps.now);
    this.registration = registrationKeeper({
      post: (registered) => this.post('/api/softphone/registration', { registered }),
      renewMs: deps.registrationRenewMs,
      retryMs: deps.registrationRetryMs,
    });
  }

  protected get microphoneCheck(): (() => Promise<void>) | undefined {
    return this.deps.checkMicrophone;
  }

  protected getReady(): Promise<void> {
    return this.openStream();
  }

  async dial(params: DialParams): Promise<void> {
    this.store.assertIdle();
    const auth = await this.auth();
    await this.checkMicrophone();
    await this.openStream();
    this.hangupRequested = false;
    const id = this.startCall(params);
    let callSid: string;
    try {
      ({ callSid } = await requestJson({
        backendUrl: auth.backendUrl,
        path: '/api/sim/calls',
        token: auth.accessToken,
        body: params,
        schema: simCallResponseSchema,
        fetchImpl: this.deps.fetchImpl,
      }));
    } catch (error) {
      const callError = toCallError(error);
      this.store.apply({ type: 'error', error: callError });
      this.store.apply({ type: 'disconnect', status: 'failed', at: this.now() });
      throw new SoftphoneError(callError);
    }
    if (this.store.get().call?.id !== id) return;
    this.store.apply({ type: 'sid', callSid });
    for (const event of this.early.get(callSid) ?? []) this.onDeviceEvent(event);
    this.early.clear();
    if (this.hangupRequested) await this.hangup();
  }

  /**
   * Hang up always clears the call: when the backend no longer knows it (it was restarted, or closed the call while we
   * were away), the server's record says how it ended, and without one the call is over all the same.
   */
  async hangup(): Promise<void> {
    const call = this.store.get().call;
    if (!call || call.phase === 'ended') return;
    if (!call.callSid) {
      this.hangupRequested = true;
      return;
    }
    const auth = await this.auth();
    try {
      const path = `/api/sim/calls/${encodeURIComponent(call.callSid)}/hangup`;
      await requestJson({ backendUrl: auth.backendUrl, path, token: auth.accessToken, body: {}, schema: okSchema, fetchImpl: this.deps.fetchImpl });
    } catch (error) {
      if (!(error instanceof BackendError) || error.status !== 404) throw new SoftphoneError(toCallError(error));
      await this.reconcile();
      if (this.store.get().call?.id === call.id) this.store.apply({ type: 'disconnect', status: call.answeredAt ? 'completed' : 'canceled', at: this.now() });
    }
  }

  /**
   * The server's record is the truth for a call's state: a call the backend has closed (while the event stream was
   * down, at a restart) ends here with the server's status, instead of showing "In call" for a call that is gone.
   */
  async reconcile(): Promise<void> {
    const call = this.store.get().call;
    if (!call?.callSid || call.phase === 'ended') return;
    let recorded: { status: CallStatus; errorMessage: string | null } | undefined;
    try {
      const auth = await this.auth();
      const page = await requestJson({ backendUrl: auth.backendUrl, path: '/api/calls?limit=20', token: auth.accessToken, schema: callsPageSchema, fetchImpl: this.deps.fetchImpl });
      recorded = page.calls.find((c) => c.twilioCallSid === call.callSid);
    } catch {
      return;
    }
    if (!recorded || !isTerminal(recorded.status) || this.store.get().call?.id !== call.id) return;
    if (recorded.status === 'failed' && recorded.errorMessage) this.store.apply({ type: 'error', error: { code: null, message: recorded.errorMessage, action: null } });
    this.store.apply({ type: 'disconnect', status: recorded.status, at: this.now() });
  }

  async sendDigits(digits: string): Promise<void> {
    const call = this.store.get().call;
    if (!call?.callSid || call.phase !== 'open') return;
    await this.post(`/api/sim/calls/${encodeURIComponent(call.callSid)}/digits`, { digits });
  }

  async setMuted(muted: boolean): Promise<void> {
    const call = this.store.get().call;
    if (!call?.callSid || call.phase === 'ended') return;
    await this.post(`/api/sim/calls/${encodeURIComponent(call.callSid)}/mute`, { muted });
    this.store.apply({ type: 'mute', muted });
  }

  /** Answers the incoming call: the call is recorded here first, so the device's accept event finds it. */
  async answer(callSid: string): Promise<void> {
    const incoming = this.store.get().incoming;
    if (!incoming || incoming.callSid !== callSid) throw new SoftphoneError({ code: null, message: NOT_RINGING_MESSAGE, action: null });
    this.store.assertIdle();
    const auth = await this.auth();
    await this.checkMicrophone();
    this.store.apply({ type: 'dial', id: crypto.randomUUID(), to: incoming.from, contactName: incoming.contactName ?? undefined, pageUrl: incoming.pageUrl ?? undefined, pageTitle: incoming.pageTitle ?? undefined, at: this.now(), direction: 'inbound' });
    this.store.apply({ type: 'sid', callSid });
    this.store.setIncoming(null);
    try {
      await requestJson({ backendUrl: auth.backendUrl, path: `/api/sim/calls/${encodeURIComponent(callSid)}/answer`, token: auth.accessToken, body: {}, schema: okSchema, fetchImpl: this.deps.fetchImpl });
    } catch (error) {
      const callError = toCallError(error);
      this.store.apply({ type: 'error', error: callError });
      this.store.apply({ type: 'disconnect', status: 'canceled', at: this.now() });
      throw new SoftphoneError(callError);
    }
  }

  async decline(callSid: string): Promise<void> {
    const incoming = this.store.get().incoming;
    if (!incoming || incoming.callSid !== callSid) return;
    this.store.setIncoming(null);
    await this.post(`/api/sim/calls/${encodeURIComponent(callSid)}/decline`, {}).catch(() => undefined);
  }

  destroy(): void {
    this.destroyed = true;
    this.stream?.abort.abort();
    this.stream = null;
    this.stopRegistration(true);
  }

  /** Tells the backend this softphone takes incoming calls while the event stream is open. */
  private readonly registration: RegistrationKeeper;

  private startRegistration(): void {
    this.registration.register();
  }

  private stopRegistration(tellBackend: boolean): void {
    this.registration.stop(tellBackend);
  }

  private async auth(): Promise<{ backendUrl: string; accessToken: string }> {
    const auth = await this.deps.getAuth();
    if (!auth.accessToken) throw new SoftphoneError({ code: null, message: SIGN_IN_MESSAGE, action: 'sign-in' });
    return { backendUrl: auth.backendUrl, accessToken: auth.accessToken };
  }

  private async post(path: string, body: unknown): Promise<void> {
    const auth = await this.auth();
    try {
      await requestJson({ backendUrl: auth.backendUrl, path, token: auth.accessToken, body, schema: okSchema, fetchImpl: this.deps.fetchImpl });
    } catch (error) {
      throw new SoftphoneError(toCallError(error));
    }
  }

  /** Opens GET /api/sim/events once; resolves when the stream is open. Reopens it when it drops. */
  private openStream(): Promise<void> {
    if (this.stream) return this.stream.opened;
    const abort = new AbortController();
    let markOpen!: () => void;
    let markFailed!: (error: unknown) => void;
    const opened = new Promise<void>((resolve, reject) => {
      markOpen = resolve;
      markFailed = reject;
    });
    opened.catch(() => undefined);
    this.stream = { abort, opened };
    void (async () => {
      try {
        const auth = await this.auth();
        await readEventStream({
          backendUrl: auth.backendUrl,
          path: '/api/sim/events',
          token: auth.accessToken,
          signal: abort.signal,
          fetchImpl: this.deps.fetchImpl,
          onOpen: () => {
            this.restartingSince = null;
            this.store.setDevice(true, null);
            markOpen();
            this.startRegistration();
            // Events may have been missed while the stream was down: the server says how the live call stands.
            void this.reconcile();
          },
          onEvent: (event) => {
            if (endReason(event) === 'server-closing') this.restartingSince = this.now();
            const parsed = simDeviceEventSchema.safeParse(safeJson(event.data));
            if (parsed.success) this.onDeviceEvent(parsed.data);
          },
        });
        markFailed(new SoftphoneError({ code: null, message: 'The simulated device lost its connection to the backend.', action: 'check-backend' }));
      } catch (error) {
        // While the backend restarts (it said so as it closed the stream), "can't reach" is expected: say it restarts.
        const restarting = this.restartingSince !== null && this.now() - this.restartingSince < RESTART_PATIENCE_MS;
        const callError = restarting ? RESTARTING : toCallError(error);
        this.store.setDevice(false, callError);
        markFailed(new SoftphoneError(callError));
      }
      if (this.stream?.abort === abort) this.stream = null;
      this.stopRegistration(false);
      // A call ringing through a dropped stream cannot be answered here any more.
      this.store.setIncoming(null);
      if (this.destroyed || abort.signal.aborted) return;
      this.store.setDevice(false, this.restartingSince !== null ? RESTARTING : this.store.get().deviceError);
      // A stream that drops mid-call ends nothing by itself; reopen it so the call's events keep coming.
      setTimeout(() => {
        if (!this.destroyed && !this.stream) void this.prepare();
      }, this.deps.reconnectMs ?? 1000);
    })();
    return opened;
  }

  private onDeviceEvent(event: SimDeviceEvent): void {
    if (event.type === 'incoming') {
      // One call at a time: a softphone on a call is not rung (the backend rings only free agents anyway).
      if (!isCallLive(this.store.get().call)) this.store.setIncoming(incomingFromParams(event.callSid, event.params, this.now()));
      return;
    }
    if (event.type === 'cancel') {
      if (this.store.get().incoming?.callSid === event.callSid) this.store.setIncoming(null);
      return;
    }
    const call = this.store.get().call;
    if (!call || call.phase === 'ended') return;
    if (call.callSid === null) {
      const queued = this.early.get(event.callSid) ?? [];
      queued.push(event);
      this.early.set(event.callSid, queued);
      return;
    }
    if (event.callSid !== call.callSid) return;
    switch (event.type) {
      case 'ringing':
        this.store.apply({ type: 'ringing' });
        break;
      case 'accept':
        this.store.apply({ type: 'accept', at: this.now() });
        break;
      case 'error':
        this.store.apply({ type: 'error', error: describeVoiceError(event.code, event.message, true) });
        break;
      case 'disconnect':
        this.store.apply({ type: 'disconnect', status: event.status, at: this.now() });
        break;
    }
  }
}

function toCallError(error: unknown) {
  if (error instanceof SoftphoneError) return error.error;
  if (error instanceof BackendError) return { code: null, message: error.message, action: error.action };
  return { code: null, message: 'The call could not be placed because of an unexpected error.', action: null };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
