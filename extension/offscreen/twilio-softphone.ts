// The Twilio softphone: a real Voice SDK Device behind the Softphone interface, with token refresh and errors as sentences.
import type { Call, Device } from '@twilio/voice-sdk';
import { voiceTokenResponseSchema, type DialParams } from '../../shared/api.js';
import { describeVoiceError, MICROPHONE_ERROR_CODES, TOKEN_ERROR_CODES } from '../../shared/voice-errors.js';
import type { CallError } from '../../shared/softphone.js';
import { BackendError, requestJson } from '../lib/backend-client.js';
import {
  BaseSoftphone,
  SIGN_IN_MESSAGE,
  SoftphoneError,
  type AuthProvider,
} from './softphone.js';

/** The part of the SDK's Call this softphone uses. */
export type CallLike = Pick<Call, 'on' | 'sendDigits' | 'mute' | 'disconnect' | 'parameters'>;
/** The part of the SDK's Device this softphone uses. */
export interface DeviceLike {
  on: Device['on'];
  updateToken(token: string): void;
  connect(options: { params: Record<string, string> }): Promise<CallLike>;
  destroy(): void;
}

export interface TwilioSoftphoneDeps {
  getAuth: AuthProvider;
  /** Builds the Device; the offscreen entry passes `(token) => new Device(token, …)`. */
  createDevice: (token: string) => DeviceLike;
  fetchImpl?: typeof fetch;
  now?: () => number;
}

interface TwilioErrorLike {
  code?: number;
  message?: string;
}

export class TwilioSoftphone extends BaseSoftphone {
  readonly mode = 'twilio' as const;
  private device: DeviceLike | null = null;
  private preparing: Promise<DeviceLike> | null = null;
  private call: CallLike | null = null;

  constructor(private readonly deps: TwilioSoftphoneDeps) {
    super('twilio', deps.now);
  }

  protected getReady(): Promise<DeviceLike> {
    return this.ensureDevice();
  }

  async dial(params: DialParams, extension?: string): Promise<void> {
    this.store.assertIdle();
    const device = await this.ensureDevice();
    const id = this.startCall(params);
    await this.connect(device, id, params, extension, false);
  }

  async hangup(): Promise<void> {
    this.call?.disconnect();
  }

  async sendDigits(digits: string): Promise<void> {
    if (this.store.get().call?.phase === 'open') this.call?.sendDigits(digits);
  }

  async setMuted(muted: boolean): Promise<void> {
    // The Call's own `mute` event moves the state, so the model follows what the SDK did.
    this.call?.mute(muted);
  }

  destroy(): void {
    this.call?.disconnect();
    this.device?.destroy();
    this.device = null;
    this.preparing = null;
  }

  private async connect(device: DeviceLike, id: string, params: DialParams, extension: string | undefined, retried: boolean): Promise<void> {
    const custom: Record<string, string> = { To: params.To };
    if (params.contactName) custom.contactName = params.contactName;
    if (params.pageUrl) custom.pageUrl = params.pageUrl;
    if (params.pageTitle) custom.pageTitle = params.pageTitle;
    let call: CallLike;
    try {
      call = await device.connect({ params: custom });
    } catch (error) {
      const code = codeOf(error);
      if (!retried && code !== null && TOKEN_ERROR_CODES.has(code) && (await this.refreshToken())) {
        return this.connect(device, id, params, extension, true);
      }
      const callError = describeVoiceError(code, messageOf(error));
      this.fail(callError);
      throw new SoftphoneError(callError);
    }
    if (this.store.get().call?.id !== id) return;
    this.call = call;
    this.watch(call, device, id, params, extension, retried);
  }

  /** Maps one Call's events onto the state model; events from a replaced call are ignored. */
  private watch(call: CallLike, device: DeviceLike, id: string, params: DialParams, extension: string | undefined, retried: boolean): void {
    const current = () => this.call === call && this.store.get().call?.id === id;
    let retrying = false;
    call.on('ringing', () => {
      if (current()) this.store.apply({ type: 'ringing' });
    });
    call.on('accept', () => {
      if (!current()) return;
      const sid = call.parameters?.CallSid;
      if (sid) this.store.apply({ type: 'sid', callSid: sid });
      this.store.apply({ type: 'accept', at: this.now() });
      if (extension) call.sendDigits(`ww${extension}`);
    });
    call.on('mute', (muted: boolean) => {
      if (current()) this.store.apply({ type: 'mute', muted });
    });
    call.on('warning', (name: string) => {
      if (current()) this.store.apply({ type: 'warning', name });
    });
    call.on('warning-cleared', (name: string) => {
      if (current()) this.store.apply({ type: 'warning-cleared', name });
    });
    call.on('error', (error: TwilioErrorLike) => {
      if (!current()) return;
      const code = codeOf(error);
      if (!retried && code !== null && TOKEN_ERROR_CODES.has(code) && this.store.get().call?.answeredAt === null) {
        retrying = true;
        this.call = null;
        void this.refreshToken().then(async (ok) => {
          if (ok) await this.connect(device, id, params, extension, true).catch(() => undefined);
          else this.fail(describeVoiceError(code, messageOf(error)));
        });
        return;
      }
      this.store.apply({ type: 'error', error: describeVoiceError(code, messageOf(error)) });
    });
    call.on('cancel', () => {
      if (current()) this.end({ type: 'cancel', at: this.now() });
    });
    call.on('reject', () => {
      if (current()) this.end({ type: 'reject', at: this.now() });
    });
    call.on('disconnect', () => {
      if (current() && !retrying) this.end({ type: 'disconnect', at: this.now() });
    });
  }

  private end(event: { type: 'cancel' | 'reject' | 'disconnect'; at: number }): void {
    this.store.apply(event);
    this.call = null;
  }

  private fail(error: CallError): void {
    this.store.apply({ type: 'error', error });
    this.store.apply({ type: 'disconnect', status: 'failed', at: this.now() });
    this.call = null;
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

  /** Fetches a new token into the device; false when that failed (the reason is in deviceError). */
  private async refreshToken(): Promise<boolean> {
    try {
      const token = await this.fetchToken();
      this.device?.updateToken(token);
      this.store.setDevice(true, null);
      return true;
    } catch (error) {
      this.store.setDevice(false, error instanceof SoftphoneError ? error.error : describeVoiceError(null));
      return false;
    }
  }

  private ensureDevice(): Promise<DeviceLike> {
    if (this.device) return Promise.resolve(this.device);
    this.preparing ??= (async () => {
      try {
        const token = await this.fetchToken();
        const device = this.deps.createDevice(token);
        device.on('tokenWillExpire', () => void this.refreshToken());
        device.on('error', (error: TwilioErrorLike) => {
          const code = codeOf(error);
          if (code !== null && TOKEN_ERROR_CODES.has(code)) void this.refreshToken();
          else if (code !== null && MICROPHONE_ERROR_CODES.has(code)) this.store.setDevice(true, describeVoiceError(code));
        });
        this.device = device;
        this.store.setDevice(true, null);
        return device;
      } catch (error) {
        const callError = error instanceof SoftphoneError ? error.error : describeVoiceError(codeOf(error), messageOf(error));
        this.store.setDevice(false, callError);
        throw new SoftphoneError(callError);
      } finally {
        this.preparing = null;
      }
    })();
    return this.preparing;
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
