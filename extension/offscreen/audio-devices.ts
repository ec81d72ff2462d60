// Applies the agent's microphone and speaker choice in the offscreen document: the microphone getUserMedia opens, the
// ringtone's output, and the Twilio Device's input and speakers. Data attributes on the document say which device ids
// are in use ("default" for the system's), as data-ringing says whether it rings (the browser tests read them):
// data-microphone (the one last opened), data-speaker (the ringtone's), and for the Twilio Device data-call-microphone
// ("none" between calls) and data-call-speaker (the SDK's speaker devices).
import type { AudioChoice } from '../lib/audio-devices.js';

/** The part of the Voice SDK's AudioHelper (device.audio) used here. */
export interface AudioHelperLike {
  setInputDevice(deviceId: string): Promise<void>;
  unsetInputDevice(): Promise<void>;
  readonly inputDevice: { deviceId: string } | null;
  readonly isOutputSelectionSupported: boolean;
  speakerDevices: { set(deviceIdOrIds: string | string[]): Promise<void>; get(): Set<{ deviceId: string }> };
  ringtoneDevices: { set(deviceIdOrIds: string | string[]): Promise<void> };
}

const isMissingDevice = (error: unknown) => {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'OverconstrainedError' || name === 'NotFoundError';
};

/**
 * Opens the chosen microphone, or the system's when none is chosen. A chosen one that is gone (the headset unplugged)
 * falls back to the system's, so the agent can still call; the document then says "default".
 */
export async function openChosenMicrophone(media: Pick<MediaDevices, 'getUserMedia'>, choice: AudioChoice, doc: Document): Promise<MediaStream> {
  let stream: MediaStream;
  try {
    stream = await media.getUserMedia({ audio: choice.inputDeviceId ? { deviceId: { exact: choice.inputDeviceId } } : true });
  } catch (error) {
    if (!choice.inputDeviceId || !isMissingDevice(error)) throw error;
    stream = await media.getUserMedia({ audio: true });
  }
  const track = stream.getAudioTracks()[0];
  const inUse = track?.getSettings().deviceId;
  doc.documentElement.dataset.microphone = choice.inputDeviceId && inUse === choice.inputDeviceId ? inUse : 'default';
  return stream;
}

/** Points the Twilio Device's call audio and ringtone at the chosen speaker (the browser's default when none is chosen). */
export async function applySpeaker(audio: AudioHelperLike | null, choice: AudioChoice, doc: Document): Promise<void> {
  if (!audio?.isOutputSelectionSupported) return;
  const id = choice.outputDeviceId ?? 'default';
  await Promise.all([audio.speakerDevices.set(id), audio.ringtoneDevices.set(id)]).catch(() => {
    // A speaker that is gone: the SDK keeps the default, which the agent still hears.
  });
  doc.documentElement.dataset.callSpeaker = [...audio.speakerDevices.get()].map((d) => d.deviceId).join(' ');
}

/**
 * The Twilio Device's microphone follows the call: the chosen one while a call is live (the SDK switches the call's
 * track to it), none while idle, so the microphone is not held open between calls.
 */
export async function followCallWithInput(audio: AudioHelperLike | null, choice: AudioChoice, live: boolean, doc: Document): Promise<void> {
  if (!audio) return;
  try {
    if (live && choice.inputDeviceId) {
      if (audio.inputDevice?.deviceId !== choice.inputDeviceId) await audio.setInputDevice(choice.inputDeviceId);
    } else if (audio.inputDevice) await audio.unsetInputDevice();
  } catch {
    // The chosen microphone is gone: the SDK's own (the system's) stays in use.
  }
  doc.documentElement.dataset.callMicrophone = audio.inputDevice?.deviceId ?? (live ? 'default' : 'none');
}
