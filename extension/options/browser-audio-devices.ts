// The options page's audio devices over the browser: enumerateDevices, and the choice in chrome.storage.local (closed to
// content scripts) under the signed-in agent's id.
import { commandWorker } from '../background/api.js';
import browser from 'webextension-polyfill';
import { sessionSchema } from '../../shared/api.js';
import { AUDIO_DEVICES_STORAGE_KEY, audioChoiceFor, withAudioChoice } from '../lib/audio-devices.js';
import { SESSION_STORAGE_KEY } from '../protocol/extension-messages.js';
import type { AudioDevicesApi } from './audio-devices.js';

async function signedInAgent() {
  const session = sessionSchema.safeParse((await browser.storage.local.get(SESSION_STORAGE_KEY))[SESSION_STORAGE_KEY]);
  return session.success ? session.data.agent : null;
}

export const browserAudioDevices: AudioDevicesApi = {
  async listDevices() {
    return (await navigator.mediaDevices.enumerateDevices()).map((d) => ({ deviceId: d.deviceId, kind: d.kind, label: d.label }));
  },
  async load() {
    const agent = await signedInAgent();
    const stored = (await browser.storage.local.get(AUDIO_DEVICES_STORAGE_KEY))[AUDIO_DEVICES_STORAGE_KEY];
    return { agentName: agent?.displayName ?? null, choice: audioChoiceFor(stored, agent?.id ?? null) };
  },
  async save(choice) {
    const agent = await signedInAgent();
    const stored = (await browser.storage.local.get(AUDIO_DEVICES_STORAGE_KEY))[AUDIO_DEVICES_STORAGE_KEY];
    await browser.storage.local.set({ [AUDIO_DEVICES_STORAGE_KEY]: withAudioChoice(stored, agent?.id ?? null, choice) });
  },
  openPermissionPage() {
    void commandWorker('c2c:sw:open-permission');
  },
  onDevicesChanged(listener) {
    navigator.mediaDevices.addEventListener('devicechange', listener);
    return () => navigator.mediaDevices.removeEventListener('devicechange', listener);
  },
};
