// The agent's microphone and speaker, chosen in the options and kept per agent (chrome.storage.local): the softphone
// opens the chosen microphone and plays calls and the ringtone on the chosen speaker; null is the system default.
import { z } from 'zod';

export const AUDIO_DEVICES_STORAGE_KEY = 'c2c:audio-devices';
/** Whose choice it is before anyone signs in (and for an agent who has made none yet). */
const SIGNED_OUT_KEY = 'signed-out';

const deviceIdSchema = z.string().min(1).max(256).nullable().catch(null);
export const audioChoiceSchema = z.object({ inputDeviceId: deviceIdSchema.default(null), outputDeviceId: deviceIdSchema.default(null) });
export type AudioChoice = z.infer<typeof audioChoiceSchema>;
export const NO_AUDIO_CHOICE: AudioChoice = { inputDeviceId: null, outputDeviceId: null };

const choicesSchema = z.record(z.string().max(64), z.unknown());

/** The agent's own choice, else the one made while signed out, else the system defaults. */
export function audioChoiceFor(stored: unknown, agentId: string | null): AudioChoice {
  const all = choicesSchema.safeParse(stored);
  if (!all.success) return NO_AUDIO_CHOICE;
  for (const key of [agentId, SIGNED_OUT_KEY]) {
    if (!key || !(key in all.data)) continue;
    const choice = audioChoiceSchema.safeParse(all.data[key]);
    if (choice.success) return choice.data;
  }
  return NO_AUDIO_CHOICE;
}

/** The stored choices with this agent's (or the signed-out one) replaced. */
export function withAudioChoice(stored: unknown, agentId: string | null, choice: AudioChoice): Record<string, unknown> {
  const all = choicesSchema.safeParse(stored);
  return { ...(all.success ? all.data : {}), [agentId ?? SIGNED_OUT_KEY]: audioChoiceSchema.parse(choice) };
}
