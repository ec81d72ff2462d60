// Entry of the offscreen document: builds the softphone host and answers the service worker's messages.
import browser from 'webextension-polyfill';
import { Call, Device } from '@twilio/voice-sdk';
import type { ConfigResponse } from '../../shared/api.js';
import type { AuthInfo } from '../protocol/extension-messages.js';
import { dispatch, parseRequest } from '../protocol/messenger.js';
import { offscreenProtocol } from '../protocol/offscreen.js';
import { callWorker } from '../background/api.js';
import type { SoftphoneMode } from '../protocol/softphone.js';
import { assertContext } from '../lib/context-guard.js';
import { describeMicrophoneFailure, MicrophoneProblem, type MicrophonePermission } from './microphone.js';
import { SimulatedSoftphone } from './simulated-softphone.js';
import { SoftphoneHost } from './softphone-host.js';
import { createRingtone } from './ringtone.js';
import { applySpeaker, followCallWithInput, openChosenMicrophone, type AudioHelperLike } from './audio-devices.js';
import { NO_AUDIO_CHOICE, type AudioChoice } from '../lib/audio-devices.js';
import { isCallLive } from '../protocol/softphone.js';
import { TwilioSoftphone, type DeviceLike } from './twilio-softphone.js';

assertContext('offscreen', 'extension/offscreen/main.ts');

async function getAuth(): Promise<AuthInfo> {
  return callWorker('c2c:sw:get-auth');
}

/** The agent's microphone and speaker, asked of the worker (an offscreen document has no storage of its own). */
async function audioChoice(): Promise<AudioChoice> {
  return callWorker('c2c:sw:audio-devices').catch(() => NO_AUDIO_CHOICE);
}

/** The Voice SDK Device built last (Twilio mode): its speakers and microphone follow the agent's choice. */
let twilioDevice: Device | null = null;
let callLive = false;

/** The choice applied where audio plays now: the ringtone, and the Twilio Device's speakers and (during a call) microphone. */
async function applyAudioChoice(): Promise<void> {
  const choice = await audioChoice();
  await ringtone.setSpeaker(choice.outputDeviceId);
  const audio = (twilioDevice?.audio ?? null) as unknown as AudioHelperLike | null;
  await applySpeaker(audio, choice, document);
  await followCallWithInput(audio, choice, callLive, document);
}

/** The offscreen document cannot prompt: this only succeeds once the permission page has been granted. */
async function checkMicrophone(): Promise<void> {
  try {
    const choice = await audioChoice();
    const stream = await openChosenMicrophone(navigator.mediaDevices, choice, document);
    for (const track of stream.getTracks()) track.stop();
    void applyAudioChoice();
  } catch (error) {
    const permission = await navigator.permissions
      .query({ name: 'microphone' as PermissionName })
      .then((s) => s.state as MicrophonePermission, () => 'unknown' as const);
    throw new MicrophoneProblem(describeMicrophoneFailure(error, permission));
  }
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
  const device = new Device(token, {
    closeProtection: false,
    codecPreferences: [Call.Codec.Opus, Call.Codec.PCMU],
    // Twilio's own codes (31202 wrong key or secret, 31486 busy, …) instead of a generic 53000/31005 for each.
    enableImprovedSignalingErrorPrecision: true,
    // A websocket blip mid-call: Twilio keeps the call 30 s (the most the SDK asks for) for the SDK to reconnect to the same edge.
    maxCallSignalingTimeoutMs: 30_000,
    sounds: SILENT_SOUNDS,
    ...(edge ? { edge } : {}),
  });
  twilioDevice = device;
  void applyAudioChoice();
  return device as unknown as DeviceLike;
}

function createSoftphone(mode: SoftphoneMode, config: ConfigResponse) {
  return mode === 'twilio'
    ? new TwilioSoftphone({ getAuth, createDevice: (token) => createDevice(token, config.twilioEdge), checkMicrophone })
    : new SimulatedSoftphone({ getAuth, checkMicrophone });
}

const ringtone = createRingtone(document);

const host = new SoftphoneHost({
  getAuth,
  createSoftphone,
  broadcast: (state) => {
    ringtone.follow(Boolean(state.incoming));
    const live = isCallLive(state.call);
    if (live !== callLive) {
      callLive = live;
      void applyAudioChoice();
    }
    void callWorker('c2c:softphone-state', { state }).catch(() => undefined);
  },
});

/**
 * Only the service worker commands the softphone. Content scripts share the extension's id (and can reach every
 * extension context with runtime.sendMessage), so the id alone would let a page dial: the sender must be the worker's
 * own script, which has no tab.
 */
const serviceWorkerUrl: Promise<string> = fetch(browser.runtime.getURL('manifest.json'))
  .then((r) => r.json() as Promise<{ background?: { service_worker?: string } }>)
  .then((m) => browser.runtime.getURL(m.background?.service_worker ?? 'no-service-worker'))
  .catch(() => browser.runtime.getURL('no-service-worker'));
let trustedSender: string | null = null;
void serviceWorkerUrl.then((url) => (trustedSender = url));

const handlers = host.handlers(applyAudioChoice);

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  // Until the manifest is read nothing is accepted; the worker's ping is retried until it is.
  if (sender.id !== browser.runtime.id || sender.tab !== undefined || trustedSender === null || sender.url !== trustedSender) return undefined;
  const parsed = parseRequest(offscreenProtocol, message);
  return parsed ? dispatch(handlers, parsed) : undefined;
});

void host.start();

// The agent allowed (or blocked) the microphone on the permission page: check again, so "Ready" tells the truth.
void navigator.permissions
  .query({ name: 'microphone' as PermissionName })
  .then((status) => {
    status.addEventListener('change', () => void host.start());
  })
  .catch(() => undefined);
