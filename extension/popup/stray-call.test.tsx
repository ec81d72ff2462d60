// @vitest-environment jsdom
// A call the server has open that this browser does not hold: shown only when it persists, ended on the server on request.
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentPresence } from '../../shared/api.js';
import { applySoftphoneEvent, INITIAL_SOFTPHONE_STATE, type SoftphoneState } from '../protocol/softphone.js';
import type { PopupApi } from './popup-api.js';
import { STRAY_CALL_GRACE_MS, StrayCallNotice, strayCall } from './stray-call.js';

const self: AgentPresence = {
  id: '00000000-0000-4000-8000-000000000001', displayName: 'Ada', email: 'ada@example.com', status: 'on-call',
  currentCallId: '00000000-0000-4000-8000-0000000000c1', currentCallPhoneNumber: '+14155550123',
};
const idle: SoftphoneState = { ...INITIAL_SOFTPHONE_STATE, mode: 'simulated', ready: true };
const inCall: SoftphoneState = { ...idle, call: applySoftphoneEvent(null, { type: 'dial', id: 'local', to: '+14155550123', at: 1 }) };

beforeEach(() => vi.useFakeTimers({ shouldAdvanceTime: true }));
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('a call the server has open that this browser does not hold', () => {
  it('is the server\'s open call only while the softphone holds no live call', () => {
    expect(strayCall(self, idle)).toEqual({ id: self.currentCallId, to: '+14155550123' });
    expect(strayCall(self, inCall)).toBeNull();
    expect(strayCall({ ...self, currentCallId: null, status: 'available' }, idle)).toBeNull();
    expect(strayCall(undefined, idle)).toBeNull();
  });

  it('is not shown for the moment a normal call takes to reach the server, then offers to end it there', async () => {
    const endServerCall = vi.fn<PopupApi['endServerCall']>(async () => ({ ok: false, error: 'The call could not be ended because the phone service did not answer. Try again in a moment.', action: null }));
    const api = { endServerCall } as unknown as PopupApi;
    render(<StrayCallNotice api={api} self={self} state={idle} />);
    expect(screen.queryByRole('alert')).toBeNull();
    await act(() => vi.advanceTimersByTimeAsync(STRAY_CALL_GRACE_MS + 10));
    expect(screen.getByRole('alert').textContent).toContain('The server still has your call to +14155550123 open, but this browser is not on it.');
    await act(async () => screen.getByRole('button', { name: 'End that call' }).click());
    expect(endServerCall).toHaveBeenCalledWith(self.currentCallId);
    expect(screen.getByRole('alert').textContent).toContain('The call could not be ended because the phone service did not answer.');
  });

  it('goes away when the server closes the call', async () => {
    const api = { endServerCall: vi.fn() } as unknown as PopupApi;
    const { rerender } = render(<StrayCallNotice api={api} self={self} state={idle} />);
    await act(() => vi.advanceTimersByTimeAsync(STRAY_CALL_GRACE_MS + 10));
    expect(screen.getByRole('alert')).toBeTruthy();
    rerender(<StrayCallNotice api={api} self={{ ...self, status: 'available', currentCallId: null, currentCallPhoneNumber: null }} state={idle} />);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
