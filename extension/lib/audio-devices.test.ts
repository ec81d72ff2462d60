// The agent's microphone and speaker choice, kept per agent.
import { describe, expect, it } from 'vitest';
import { audioChoiceFor, NO_AUDIO_CHOICE, withAudioChoice } from './audio-devices.js';

describe('audio device choice', () => {
  it('is kept per agent, with the signed-out choice as the fallback', () => {
    let stored: unknown = undefined;
    expect(audioChoiceFor(stored, 'ada')).toEqual(NO_AUDIO_CHOICE);
    stored = withAudioChoice(stored, null, { inputDeviceId: 'laptop-mic', outputDeviceId: null });
    stored = withAudioChoice(stored, 'ada', { inputDeviceId: 'headset-mic', outputDeviceId: 'headset' });
    expect(audioChoiceFor(stored, 'ada')).toEqual({ inputDeviceId: 'headset-mic', outputDeviceId: 'headset' });
    expect(audioChoiceFor(stored, 'tess')).toEqual({ inputDeviceId: 'laptop-mic', outputDeviceId: null });
    expect(audioChoiceFor(stored, null)).toEqual({ inputDeviceId: 'laptop-mic', outputDeviceId: null });
  });

  it('reads a malformed store as the system defaults', () => {
    expect(audioChoiceFor('nonsense', 'ada')).toEqual(NO_AUDIO_CHOICE);
    expect(audioChoiceFor({ ada: { inputDeviceId: 42 } }, 'ada')).toEqual(NO_AUDIO_CHOICE);
  });
});
