// Test helper: the Voice SDK's Device and Call event surface, behaving as the real SDK 2.18 does where it matters: register()
// waits for Twilio; with signalling down or a token refused, connect() neither resolves nor rejects and the errors arrive on the
// Device; a Call's `disconnect` comes before the `error` that explains it. (The browser suite runs the real SDK.)
import { EventEmitter } from 'node:events';
import type { CallLike, DeviceLike } from '../../../extension/offscreen/twilio-softphone.js';

export class FakeCall extends EventEmitter {
  parameters: Record<string, string> = {};
  readonly sentDigits: string[] = [];
  muted = false;
  disconnected = false;

  constructor(readonly params: Record<string, string>) {
    super();
  }

  sendDigits(digits: string): void {
    this.sentDigits.push(digits);
  }

  mute(shouldMute = true): void {
    this.muted = shouldMute;
    this.emit('mute', shouldMute, this);
  }

  isMuted(): boolean {
    return this.muted;
  }

  disconnect(): void {
    if (this.disconnected) return;
    this.disconnected = true;
    this.emit('disconnect', this);
  }

  /** What the SDK does when getUserMedia fails in accept(): disconnect, then the error. */
  failMicrophone(code = 31401): void {
    this.disconnect();
    this.emit('error', { code, message: 'Permission denied' });
  }
}

export class FakeDevice extends EventEmitter {
  readonly calls: FakeCall[] = [];
  readonly tokens: string[];
  destroyed = false;
  state = 'unregistered';
  edge: string | null = null;
  /** Twilio never confirms the registration (signalling connected all the same). */
  neverRegisters = false;
  /** Whether signalling's `connected` came: connect() and register() wait for it. */
  private connected: boolean;
  private readonly waiting: Array<() => void> = [];
  /** connect() calls that are still waiting for signalling. */
  pendingConnects = 0;

  constructor(
    token: string,
    options: { signalling?: 'up' | 'down'; refuseToken?: number | null; neverRegisters?: boolean } = {},
  ) {
    super();
    this.tokens = [token];
    this.connected = (options.signalling ?? 'up') === 'up' && !options.refuseToken;
    this.neverRegisters = options.neverRegisters ?? false;
    if (this.connected) this.edge = 'roaming';
    if (options.refuseToken) {
      const code = options.refuseToken;
      queueMicrotask(() => this.emit('error', { code, message: 'Access token refused' }));
    }
  }

  /** Signalling comes back: what waited goes on. */
  signallingUp(): void {
    this.connected = true;
    this.edge = 'roaming';
    for (const go of this.waiting.splice(0)) go();
  }

  private whenConnected(): Promise<void> {
    if (this.destroyed) return new Promise(() => undefined);
    if (this.connected) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async register(): Promise<void> {
    this.state = 'registering';
    await this.whenConnected();
    if (this.destroyed) return;
    if (this.neverRegisters) return new Promise(() => undefined);
    this.state = 'registered';
    this.emit('registered');
  }

  updateToken(token: string): void {
    this.tokens.push(token);
  }

  async connect(options: { params: Record<string, string> }): Promise<CallLike> {
    this.pendingConnects += 1;
    await this.whenConnected();
    this.pendingConnects -= 1;
    const call = new FakeCall(options.params);
    this.calls.push(call);
    return call as unknown as CallLike;
  }

  destroy(): void {
    this.destroyed = true;
    this.state = 'destroyed';
    this.edge = null;
  }

  get lastCall(): FakeCall | undefined {
    return this.calls.at(-1);
  }
}

export function asDevice(device: FakeDevice): DeviceLike {
  return device as unknown as DeviceLike;
}
