// The call bar says who is being called, the number as people write it, and each phase and result in words.
import { describe, expect, it } from 'vitest';
import { applySoftphoneEvent, type LiveCall, type SoftphoneEvent } from '../protocol/softphone.js';
import { callBarView, endedBadly } from './call-bar-view.js';

function call(...events: SoftphoneEvent[]): LiveCall {
  let c: LiveCall | null = null;
  for (const e of [{ type: 'dial', id: 'c1', to: '+14155550142', contactName: 'Maria Lopez', at: 0 } as SoftphoneEvent, ...events]) c = applySoftphoneEvent(c, e);
  return c!;
}

describe('callBarView', () => {
  it('shows the number formatted for the agent’s country, and each phase in words', () => {
    expect(callBarView(call(), 'US')).toMatchObject({ number: '(415) 555-0142', contactName: 'Maria Lopez', statusText: 'Calling…', phase: 'connecting' });
    expect(callBarView(call({ type: 'ringing' }), 'US')?.statusText).toBe('Ringing…');
    expect(callBarView(call({ type: 'accept', at: 5 }), 'US')).toMatchObject({ statusText: 'In call', answeredAt: 5 });
    expect(callBarView(call(), 'GB')?.number).toBe('+1 415 555 0142');
  });
  it('shows the result of a call that ended, with the reason it failed', () => {
    expect(callBarView(call({ type: 'disconnect', status: 'busy', at: 3 }), 'US')?.statusText).toBe('Busy');
    expect(callBarView(call({ type: 'disconnect', status: 'no-answer', at: 3 }), 'US')?.statusText).toBe('No answer');
    const failed = call({ type: 'error', error: { code: null, message: 'This call was refused: the number is premium-rate.', action: null } }, { type: 'disconnect', status: 'failed', at: 3 });
    expect(callBarView(failed, 'US')).toMatchObject({ statusText: 'Failed', reason: 'This call was refused: the number is premium-rate.' });
    expect(callBarView(call({ type: 'accept', at: 1 }, { type: 'disconnect', status: 'completed', at: 9 }), 'US')?.statusText).toBe('Call ended');
  });
  it('shows the extension with the number', () => {
    expect(callBarView({ ...call(), to: '+14155550142 ext. 204' }, 'US')?.number).toBe('(415) 555-0142 ext. 204');
    // The extension the dial sent (the softphone keeps it beside the number it dialled).
    const dialled = applySoftphoneEvent(null, { type: 'dial', id: 'c2', to: '+14155550142', extension: '204', at: 0 })!;
    expect(dialled.extension).toBe('204');
    expect(callBarView(dialled, 'US')?.number).toBe('(415) 555-0142 ext. 204');
  });
  it('says which results deserve a notification', () => {
    expect(endedBadly(call({ type: 'disconnect', status: 'busy', at: 3 }))).toBe(true);
    expect(endedBadly(call({ type: 'accept', at: 1 }, { type: 'disconnect', status: 'completed', at: 9 }))).toBe(false);
    expect(endedBadly(call())).toBe(false);
  });
});
