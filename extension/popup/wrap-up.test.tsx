// @vitest-environment jsdom
// The popup's wrap-up parts as agents see them: the just-ended call's form, history's outcome and notes, and an edit
// control for the wrap-up's author only.
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Call, CallOutcome } from '../../shared/api.js';
import type { WrapUpView } from '../protocol/messages.js';
import type { LiveCall } from '../protocol/softphone.js';
import { HistoryWrapUp } from './history-wrap-up.js';
import type { WrapUpApi } from './wrap-up-api.js';
import { WrapUpForm } from './wrap-up-form.js';

afterEach(cleanup);

const ME = '00000000-0000-4000-8000-000000000001';
const TEAMMATE = '00000000-0000-4000-8000-000000000002';
const outcomes: CallOutcome[] = [
  { id: '00000000-0000-4000-8000-0000000000a1', label: 'Connected', matchesStatuses: ['completed'], position: 10, archived: false },
  { id: '00000000-0000-4000-8000-0000000000a2', label: 'Busy', matchesStatuses: ['busy'], position: 40, archived: false },
];

function fakeApi(offer: WrapUpView | null = null): WrapUpApi & { [K in keyof WrapUpApi]: WrapUpApi[K] } {
  return {
    getOffer: vi.fn(async () => offer),
    onOfferChange: vi.fn(() => () => undefined),
    saveOffer: vi.fn(async () => ({ ok: true as const })),
    skipOffer: vi.fn(async () => undefined),
    reopenOffer: vi.fn(async () => undefined),
    fetchOutcomes: vi.fn(async () => outcomes),
    saveWrapUp: vi.fn(async () => ({}) as Call),
    listAgents: vi.fn(async () => []),
    exportCalls: vi.fn(async () => undefined),
  };
}

const call = (wrapUpBy: string | null, assignedTo = ME): Call => ({
  id: '00000000-0000-4000-8000-0000000000c1', direction: 'outbound', status: 'busy', fromNumber: null, toNumber: '+14155550123', contactName: 'Grace Hopper',
  assignedTo, agentName: 'Ada', twilioCallSid: null, dialCallSid: null, pageUrl: null, pageTitle: null, createdAt: '2026-12-01T10:00:00.000Z',
  answeredAt: null, endedAt: '2026-12-01T10:00:05.000Z', duration: null, errorCode: null, errorMessage: null,
  wrapUp: wrapUpBy === null ? null : {
    callId: '00000000-0000-4000-8000-0000000000c1', outcomeId: outcomes[1]!.id, outcomeLabel: 'Busy', notes: 'Line was busy twice; try again after lunch on Tuesday when the office manager is back from leave',
    followUpOn: null, writtenBy: wrapUpBy, writtenByName: wrapUpBy === ME ? 'Ada' : 'Bob', writtenAt: '2026-12-01T10:01:00.000Z', updatedAt: '2026-12-01T10:01:00.000Z',
  },
});

describe('history\'s wrap-up', () => {
  it('shows the outcome and the start of the notes, with an edit control for its author', async () => {
    const api = fakeApi();
    render(<HistoryWrapUp call={call(ME)} ctx={{ api, agentId: ME }} />);
    expect(screen.getByText('Busy')).toBeTruthy();
    expect(screen.getByText(/Line was busy twice; try again after lunch on Tuesday.*…$/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Edit wrap-up of the call with Grace Hopper' }));
    const form = await screen.findByRole('form', { name: 'Wrap-up of the call with Grace Hopper' });
    await userEvent.selectOptions(within(form).getByLabelText('Outcome'), 'Connected');
    await userEvent.click(within(form).getByRole('button', { name: 'Save wrap-up' }));
    expect(api.saveWrapUp).toHaveBeenCalledWith(call(ME).id, expect.objectContaining({ outcomeId: outcomes[0]!.id, notes: call(ME).wrapUp!.notes }));
  });

  it('gives a teammate no edit control, and lets only the call\'s own agent wrap up a call that has none', () => {
    const api = fakeApi();
    render(<HistoryWrapUp call={call(TEAMMATE)} ctx={{ api, agentId: ME }} />);
    expect(screen.getByText(/Bob/)).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
    cleanup();
    render(<HistoryWrapUp call={call(null, TEAMMATE)} ctx={{ api, agentId: ME }} />);
    expect(screen.queryByRole('button')).toBeNull();
    cleanup();
    render(<HistoryWrapUp call={call(null)} ctx={{ api, agentId: ME }} />);
    expect(screen.getByRole('button', { name: 'Wrap up of the call with Grace Hopper' })).toBeTruthy();
  });
});

describe('the wrap-up of the call that just ended', () => {
  const ended: LiveCall = {
    id: 'l1', callSid: 'CA0123', to: '+14155550123', contactName: null, pageUrl: null, pageTitle: null, phase: 'ended', status: 'busy',
    startedAt: 0, answeredAt: null, endedAt: 1, muted: false, warnings: [], error: null,
  };

  it('comes with the result\'s outcome selected; one click saves it, Escape leaves it', async () => {
    const api = fakeApi({ outcomes, selected: outcomes[1]!.id, state: 'open', error: null, required: false });
    render(<WrapUpForm api={api} call={ended} />);
    const form = await screen.findByRole('form', { name: 'Wrap-up of the call that just ended' });
    expect((within(form).getByLabelText('Outcome') as HTMLSelectElement).value).toBe(outcomes[1]!.id);
    await userEvent.type(within(form).getByLabelText('Notes'), 'Try again later');
    await userEvent.click(within(form).getByRole('button', { name: 'Save wrap-up' }));
    expect(api.saveOffer).toHaveBeenCalledWith({ outcomeId: outcomes[1]!.id, notes: 'Try again later', followUpOn: null });
    await userEvent.type(within(form).getByLabelText('Notes'), '{Escape}');
    await waitFor(() => expect(api.skipOffer).toHaveBeenCalled());
  });

  it('is not shown while the call is live', async () => {
    const api = fakeApi({ outcomes, selected: null, state: 'open', error: null, required: false });
    render(<WrapUpForm api={api} call={{ ...ended, phase: 'open', status: null }} />);
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByRole('form')).toBeNull();
    expect(api.getOffer).not.toHaveBeenCalled();
  });
});
