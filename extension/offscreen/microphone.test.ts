// Each way the microphone fails gets its own sentence and its own fix.
import { describe, expect, it } from 'vitest';
import { describeMicrophoneFailure } from './microphone.js';

const failure = (name: string) => Object.assign(new Error(name), { name });

describe('describeMicrophoneFailure', () => {
  it('sends a blocked microphone to the permission page', () => {
    expect(describeMicrophoneFailure(failure('NotAllowedError'), 'denied')).toMatchObject({ message: expect.stringMatching(/blocked/), action: 'open-permission' });
  });
  it('tells a microphone never allowed (prompt dismissed) apart from a blocked one', () => {
    const never = describeMicrophoneFailure(failure('NotAllowedError'), 'prompt');
    expect(never).toMatchObject({ message: expect.stringMatching(/not been allowed/), action: 'open-permission' });
    expect(never.message).not.toEqual(describeMicrophoneFailure(failure('NotAllowedError'), 'denied').message);
  });
  it('asks to plug a device in when there is none, with no permission page to open', () => {
    expect(describeMicrophoneFailure(failure('NotFoundError'), 'granted')).toMatchObject({ message: expect.stringMatching(/No microphone/), action: null });
  });
  it('asks to close the other app when the device is busy', () => {
    expect(describeMicrophoneFailure(failure('NotReadableError'), 'granted')).toMatchObject({ message: expect.stringMatching(/in use by another app/), action: null });
  });
});
