// Owns the offscreen document's one softphone: picks the implementation from /api/config and answers the service worker.
import { configResponseSchema, type ConfigResponse } from '../../shared/api.js';
import type { CommandResult } from '../protocol/extension-messages.js';
import type { Handlers } from '../protocol/messenger.js';
import type { OffscreenProtocol } from '../protocol/offscreen.js';
import { INITIAL_SOFTPHONE_STATE, type SoftphoneMode, type SoftphoneState } from '../protocol/softphone.js';
import { BackendError, requestJson } from '../lib/backend-client.js';
import { SoftphoneError, type AuthProvider, type Softphone } from './softphone.js';

export interface SoftphoneHostDeps {
  getAuth: AuthProvider;
  /** Builds the softphone /api/config asks for (its Twilio edge, too). */
  createSoftphone: (mode: SoftphoneMode, config: ConfigResponse) => Softphone;
  /** Tells the service worker and any open page that the state changed. */
  broadcast: (state: SoftphoneState) => void;
  fetchImpl?: typeof fetch;
}

export class SoftphoneHost {
  private softphone: Softphone | null = null;
  private choosing: Promise<Softphone> | null = null;
  private unsubscribe: (() => void) | null = null;
  private lastError: SoftphoneState['deviceError'] = null;

  constructor(private readonly deps: SoftphoneHostDeps) {}

  getState(): SoftphoneState {
    return this.softphone?.getState() ?? { ...INITIAL_SOFTPHONE_STATE, deviceError: this.lastError };
  }

  /** Gets the device ready ahead of the first click; failures show in the state. */
  async start(): Promise<void> {
    try {
      const softphone = await this.ensureSoftphone();
      await softphone.prepare();
    } catch {
      // lastError is already in the state.
    }
  }

  /** One handler per entry of protocol/offscreen.ts; audio devices are applied by the entry (main.ts), which holds the audio. */
  handlers(applyAudioChoice: () => Promise<void>): Handlers<OffscreenProtocol> {
    const done = { ok: true } as const;
    return {
      'c2c:offscreen:ping': async () => done,
      'c2c:offscreen:audio-devices': () => applyAudioChoice().then(() => done),
      'c2c:offscreen:get-state': async () => this.getState(),
      'c2c:offscreen:reset': async () => {
        this.reset();
        return done;
      },
      'c2c:offscreen:dial': ({ params }) => this.command(async (s) => s.dial(params)),
      'c2c:offscreen:hangup': () => this.command(async (s) => s.hangup()),
      'c2c:offscreen:mute': ({ muted }) => this.command(async (s) => s.setMuted(muted)),
      'c2c:offscreen:digits': ({ digits }) => this.command(async (s) => s.sendDigits(digits)),
      'c2c:offscreen:answer': ({ callSid }) => this.command(async (s) => s.answer(callSid)),
      'c2c:offscreen:decline': ({ callSid }) => this.command(async (s) => s.decline(callSid)),
    };
  }

  /** Drops the device (signed out, new backend) and starts again from /api/config. */
  reset(): void {
    this.unsubscribe?.();
    this.softphone?.destroy();
    this.softphone = null;
    this.choosing = null;
    this.lastError = null;
    this.deps.broadcast(this.getState());
    void this.start();
  }

  private async command(run: (softphone: Softphone) => Promise<void>): Promise<CommandResult> {
    try {
      await run(await this.ensureSoftphone());
      return { ok: true };
    } catch (error) {
      if (error instanceof SoftphoneError) return { ok: false, error: error.message, action: error.error.action };
      return { ok: false, error: 'The softphone failed unexpectedly; try again.', action: null };
    }
  }

  private ensureSoftphone(): Promise<Softphone> {
    if (this.softphone) return Promise.resolve(this.softphone);
    this.choosing ??= (async () => {
      try {
        const config = await this.fetchConfig();
        const softphone = this.deps.createSoftphone(config.telephony, config);
        this.softphone = softphone;
        this.lastError = null;
        this.unsubscribe = softphone.subscribe((state) => this.deps.broadcast(state));
        this.deps.broadcast(softphone.getState());
        return softphone;
      } finally {
        this.choosing = null;
      }
    })();
    return this.choosing;
  }

  private async fetchConfig(): Promise<ConfigResponse> {
    const { backendUrl } = await this.deps.getAuth();
    try {
      return await requestJson({ backendUrl, path: '/api/config', schema: configResponseSchema, fetchImpl: this.deps.fetchImpl });
    } catch (error) {
      const message = error instanceof BackendError ? error.message : `Can't reach the backend at ${backendUrl}.`;
      this.lastError = { code: null, message, action: 'check-backend' };
      this.deps.broadcast(this.getState());
      throw new SoftphoneError(this.lastError);
    }
  }
}
