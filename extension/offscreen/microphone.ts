// Why the microphone cannot be used, told apart (blocked, never allowed, missing, busy), each with the one fix that works.
import type { CallError } from '../protocol/softphone.js';

export type MicrophonePermission = 'granted' | 'denied' | 'prompt' | 'unknown';

/** A getUserMedia failure, already turned into the sentence for the agent. */
export class MicrophoneProblem extends Error {
  constructor(readonly error: CallError) {
    super(error.message);
    this.name = 'MicrophoneProblem';
  }
}

/**
 * The sentence for a getUserMedia failure. The offscreen document cannot prompt, so a NotAllowedError there means either
 * the agent blocked the microphone (permission "denied") or never allowed it (the prompt was dismissed or never shown:
 * "prompt"); both are fixed on the permission page. A missing device and a device another app holds are not.
 */
export function describeMicrophoneFailure(error: unknown, permission: MicrophonePermission): CallError {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') {
    return { code: null, message: 'No microphone was found. Plug in a headset or a microphone, then call again.', action: null };
  }
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') {
    return { code: null, message: 'The microphone is in use by another app or could not be started. Close the app that is using it, then call again.', action: null };
  }
  if (permission === 'denied') {
    return { code: 31208, message: 'The microphone is blocked for Click-to-call. Open the permission page to allow it.', action: 'open-permission' };
  }
  return { code: 31208, message: 'Click-to-call has not been allowed to use the microphone yet. Open the permission page and click Allow microphone.', action: 'open-permission' };
}
