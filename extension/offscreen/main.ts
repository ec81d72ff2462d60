// Entry of the offscreen document: builds the softphone host and answers the service worker's messages.
import browser from 'webextension-polyfill';
import { Call, Device } from '@twilio/voice-sdk';
import type { ConfigResponse } from '../../shared/api.js';
import { authInfoSchema, swToOffscreenSchema, type AuthInfo } from '../../shared/extension-messages.js';
import type { SoftphoneMode } from '../../shared/softphone.js';
import { assertContext } from '../lib/context-guard.js';
import { SimulatedSoftphone } from './simulated-softphone.js';
import { SoftphoneHost } from './softphone-host.js';
import { TwilioSoftphone, type DeviceLike } from './twilio-softphone.js';

assertContext('offscreen', 'extension/offscreen/main.ts');

async function getAuth(): Promise<AuthInfo> {
  return authInfoSchema.parse(await browser.runtime.sendMessage({ type: 'c2c:sw:get-auth' }));
}

/** The offscreen document cannot prompt: this only succeeds once the permission page has been granted. */
async function checkMicrophone(): Promise<void> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  for (const track of stream.getTracks()) track.stop();
}

/**
 * The SDK's 15 sounds (ringback, DTMF, disconnect, incoming) are not in its npm package: by default each new Device fetches
 * them from sdk.twilio.com, a third-party host an offline or firewalled agent cannot reach. They are deliberately silent
 * here instead: with answerOnBridge the agent hears the carrier's own ringback as early media, keypad tones go in-band to
 * the far end, and this softphone takes no incoming calls. One 10 ms silent WAV, inline, so nothing is fetched at all.
 */
const SILENCE = 'data:audio/wav;base64,UklGRnQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YVAAAACAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgA==';
const SILENT_SOUNDS = Object.fromEntries(Object.values(Device.SoundName).map((name) => [name, SILENCE])) as Partial<Record<Device.SoundName, string>>;

function createDevice(token: string, edge: ConfigResponse['twilioEdge']): DeviceLike {
  return new Device(token, {
    closeProtection: false,
    codecPreferences: [Call.Codec.Opus, Call.Codec.PCMU],
    // Twilio's own codes (31202 wrong key or secret, 31486 busy, …) instead of a generic 53000/31005 for each.
    enableImprovedSignalingErrorPrecision: true,
    // A websocket blip mid-call: Twilio keeps the call 30 s (the most the SDK asks for) for the SDK to reconnect to the same edge.
    maxCallSignalingTimeoutMs: 30_000,
    sounds: SILENT_SOUNDS,
    ...(edge ? { edge } : {}),
  }) as unknown as DeviceLike;
}

function createSoftphone(mode: SoftphoneMode, config: ConfigResponse) {
  return mode === 'twilio'
    ? new TwilioSoftphone({ getAuth, createDevice: (token) => createDevice(token, config.twilioEdge) })
    : new SimulatedSoftphone({ getAuth, checkMicrophone });
}

const host = new SoftphoneHost({
  getAuth,
  createSoftphone,
  broadcast: (state) => {
    browser.runtime.sendMessage({ type: 'c2c:softphone-state', state }).catch(() => undefined);
  },
});

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  if (sender.id !== browser.runtime.id) return undefined;
  const parsed = swToOffscreenSchema.safeParse(message);
  if (!parsed.success) return undefined;
  return host.handle(parsed.data);
});

void host.start();
