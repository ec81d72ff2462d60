// The softphone's call-state model: phases only move forward, an ended call is final, failures keep their reason.
import { describe, expect, it } from 'vitest';
import { applySoftphoneEvent, softphoneStateSchema, type LiveCall, type SoftphoneEvent } from './softphone.js';
import { describeVoiceError } from './voice-errors.js';

const fold = (...events: SoftphoneEvent[]): LiveCall | null =>
  events.reduce<LiveCall | null>((call, event) => applySoftphoneEvent(call, event), applySoftphoneEvent(null, { type: 'dial', id: 'c1', to: '+14155550123', at: 10 }));

describe('applySoftphoneEvent', () => {
  it('never moves back from open to ringing, and ignores everything after the end', () => {
    const call = fold({ type: 'accept', at: 20 }, { type: 'ringing' }, { type: 'disconnect', at: 30 }, { type: 'accept', at: 40 }, { type: 'mute', muted: true });
    expect(call).toMatchObject({ phase: 'ended', status: 'completed', answeredAt: 20, endedAt: 30, muted: false });
  });

  it('ends an unanswered call the agent dropped as canceled, and one with an error as failed', () => {
    expect(fold({ type: 'ringing' }, { type: 'disconnect', at: 30 })?.status).toBe('canceled');
    expect(fold({ type: 'error', error: describeVoiceError(31486) }, { type: 'disconnect', at: 30 })).toMatchObject({ status: 'failed', error: { message: 'The line is busy.' } });
  });

  it('takes the status the far side reported', () => {
    expect(fold({ type: 'ringing' }, { type: 'disconnect', status: 'no-answer', at: 30 })?.status).toBe('no-answer');
  });

  it('produces states the message schema accepts', () => {
    const call = fold({ type: 'ringing' }, { type: 'accept', at: 20 }, { type: 'warning', name: 'high-rtt' });
    expect(softphoneStateSchema.safeParse({ mode: 'twilio', ready: true, deviceError: null, call }).success).toBe(true);
  });
});

describe('describeVoiceError', () => {
  it('turns codes into sentences with the fix to offer', () => {
    expect(describeVoiceError(31401)).toEqual({ code: 31401, message: 'Microphone blocked — click to fix.', action: 'open-permission' });
    expect(describeVoiceError(20104).action).toBe('sign-in');
    expect(describeVoiceError(31404).message).toBe('That number could not be found; check it and try again.');
    expect(describeVoiceError(31603).message).toBe('The call was declined.');
    expect(describeVoiceError(39999, 'something odd happened').message).toBe('Something odd happened.');
    expect(describeVoiceError(39999).message).toBe('The call failed (error 39999).');
  });
});
