// Test helper: the Voice SDK's Device and Call event surface (what Twilio's cloud would drive), for the Twilio softphone.
import { EventEmitter } from 'node:events';
import type { CallLike, DeviceLike } from '../twilio-softphone.js';

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
}

export class FakeDevice extends EventEmitter {
  readonly calls: FakeCall[] = [];
  readonly tokens: string[];
  destroyed = false;
  /** Errors connect() rejects with, one per call, before succeeding. */
  connectFailures: { code: number; message: string }[] = [];

  constructor(token: string) {
    super();
    this.tokens = [token];
  }

  updateToken(token: string): void {
    this.tokens.push(token);
  }

  async connect(options: { params: Record<string, string> }): Promise<CallLike> {
    const failure = this.connectFailures.shift();
    if (failure) throw Object.assign(new Error(failure.message), failure);
    const call = new FakeCall(options.params);
    this.calls.push(call);
    return call as unknown as CallLike;
  }

  destroy(): void {
    this.destroyed = true;
  }

  get lastCall(): FakeCall | undefined {
    return this.calls.at(-1);
  }
}

export function asDevice(device: FakeDevice): DeviceLike {
  return device as unknown as DeviceLike;
}
