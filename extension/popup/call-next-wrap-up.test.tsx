// @vitest-environment jsdom
// Call next and the organization's required wrap-up, in the popup: the next number waits until the last call's
// wrap-up is saved, the list says so and takes the agent to the form (brought back if it was left), then goes on.
import { act, cleanup, configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WRAP_UP_REQUIRED_MESSAGE, type Session } from '../../shared/api.js';
import type { CommandResult } from '../protocol/extension-messages.js';
import type { WrapUpView } from '../protocol/messages.js';
import { INITIAL_SOFTPHONE_STATE, type SoftphoneState } from '../protocol/softphone.js';
import { App } from './app.js';
import type { PageNumbers, PopupApi } from './popup-api.js';
import type { WrapUpApi } from './wrap-up-api.js';

afterEach(cleanup);
configure({ asyncUtilTimeout: 5000 });

const session: Session = {
  accessToken: 'a',
  refreshToken: 'r'.repeat(20),
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  agent: { id: '00000000-0000-4000-8000-000000000001', email: 'ada@example.com', displayName: 'Ada Agent', organizationId: '00000000-0000-4000-8000-0000000000aa', organizationName: 'Demo' },
};
const busyOutcome = { id: '00000000-0000-4000-8000-0000000000b2', label: 'Busy' };
const page: PageNumbers = {
  pageUrl: 'https://crm.example/list',
  pageTitle: 'Leads',
  numbers: [
    { e164: '+14155550111', text: '(415) 555-0111', contactName: 'Maria Lopez', frame: null },
    { e164: '+14155550112', text: '(415) 555-0112', contactName: 'Sam Carter', frame: null },
  ],
};
/** Maria's call has just ended busy (Call next already went to her). */
const ended: SoftphoneState = {
  ...INITIAL_SOFTPHONE_STATE, mode: 'simulated', ready: true,
  call: { id: 'c1', callSid: 'CA1', to: '+14155550111', contactName: 'Maria Lopez', pageUrl: null, pageTitle: null, phase: 'ended', status: 'busy', startedAt: 1, answeredAt: null, endedAt: 2, muted: false, warnings: [], error: null },
};

/** A popup whose worker keeps one wrap-up offer, as wrap-up-offer.ts does, and refuses dials while a required one is missing. */
function world(offer: { required: boolean; state: WrapUpView['state'] | 'skipped' }) {
  let record = { ...offer };
  const listeners = new Set<() => void>();
  const change = (next: Partial<typeof record>) => {
    record = { ...record, ...next };
    act(() => listeners.forEach((l) => l()));
  };
  const wrapUps: WrapUpApi = {
    getOffer: async () => (record.state === 'skipped' ? null : { outcomes: [busyOutcome], selected: busyOutcome.id, state: record.state, error: null, required: record.required }),
    onOfferChange: (l) => (listeners.add(l), () => listeners.delete(l)),
    saveOffer: vi.fn(async (): Promise<CommandResult> => (change({ state: 'saved' }), { ok: true })),
    skipOffer: vi.fn(async () => change({ state: 'skipped' })),
    reopenOffer: vi.fn(async () => {
      if (record.state === 'skipped') change({ state: 'open' });
    }),
    fetchOutcomes: async () => [],
    saveWrapUp: vi.fn(),
    listAgents: async () => [],
    exportCalls: async () => undefined,
  };
  const api: PopupApi = {
    readSession: async () => session,
    onSessionChange: () => () => undefined,
    signIn: vi.fn(),
    signOut: vi.fn(async () => undefined),
    endServerCall: vi.fn(async () => ({ ok: true as const })),
    getAuth: async () => ({ backendUrl: 'http://127.0.0.1:3003', accessToken: 'a' }),
    getState: async () => ended,
    onState: () => () => undefined,
    dial: vi.fn(async (): Promise<CommandResult> =>
      record.required && record.state !== 'saved' ? { ok: false, error: WRAP_UP_REQUIRED_MESSAGE, action: null } : { ok: true }),
    hangup: vi.fn(async () => ({ ok: true as const })),
    setMuted: vi.fn(async () => ({ ok: true as const })),
    sendDigits: vi.fn(async () => ({ ok: true as const })),
    listPageNumbers: async () => page,
    fetchCalls: async () => ({ calls: [], nextCursor: null }),
    fetchAgents: async () => [],
    followLiveEvents: (_on, signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve())),
    openPermissionPage: vi.fn(async () => undefined),
    openOptions: vi.fn(async () => undefined),
    setPresence: vi.fn(),
    defaultCountry: async () => 'US',
    wrapUps,
  };
  return { api, wrapUps };
}

/** Call next's place: Maria Lopez was called. */
function calledMaria() {
  localStorage.clear();
  localStorage.setItem('c2c:call-next', JSON.stringify({ [page.pageUrl!]: { last: '|+14155550111|', called: ['|+14155550111|'], at: Date.now() } }));
}

const HELD = 'Save the wrap-up of your last call first: Call next dials Sam Carter once it is saved.';

describe('Call next with a required wrap-up', () => {
  it('does not dial while the last call\'s wrap-up is open; says so, focuses the wrap-up, and dials once it is saved', async () => {
    calledMaria();
    const w = world({ required: true, state: 'open' });
    render(<App api={w.api} />);
    const form = await screen.findByRole('form', { name: 'Wrap-up of the call that just ended' });
    await userEvent.click(await screen.findByRole('button', { name: 'Call next: Sam Carter' }));
    expect(w.api.dial).not.toHaveBeenCalled();
    expect(screen.getByText(HELD)).toBeTruthy();
    expect(document.activeElement).toBe(within(form).getByLabelText('Outcome'));
    // Still Sam Carter next: nothing was skipped. A row's own Call waits the same way.
    expect(screen.getByRole('button', { name: 'Call next: Sam Carter' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Call (415) 555-0112, Sam Carter' }));
    expect(screen.getByText('Save the wrap-up of your last call first, then call Sam Carter.')).toBeTruthy();
    expect(w.api.dial).not.toHaveBeenCalled();

    await userEvent.click(within(form).getByRole('button', { name: 'Save wrap-up' }));
    expect(w.wrapUps.saveOffer).toHaveBeenCalledWith({ outcomeId: busyOutcome.id, notes: '', followUpOn: null });
    await screen.findByText('Wrap-up saved.');
    await waitFor(() => expect(screen.queryByText(HELD)).toBeNull());
    await userEvent.click(screen.getByRole('button', { name: 'Call next: Sam Carter' }));
    expect(w.api.dial).toHaveBeenCalledTimes(1);
    expect(w.api.dial).toHaveBeenLastCalledWith(expect.objectContaining({ to: '+14155550112', contactName: 'Sam Carter' }));
  });

  it('brings a left wrap-up back when the worker holds the dial, keeping the list\'s place', async () => {
    calledMaria();
    const w = world({ required: true, state: 'skipped' });
    render(<App api={w.api} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Call next: Sam Carter' }));
    // The popup did not know (the offer was left): the worker refused, and the list says what to do instead.
    expect(w.api.dial).toHaveBeenCalledTimes(1);
    await screen.findByText(HELD);
    expect(screen.queryByText(WRAP_UP_REQUIRED_MESSAGE)).toBeNull();
    expect(w.wrapUps.reopenOffer).toHaveBeenCalled();
    const form = await screen.findByRole('form', { name: 'Wrap-up of the call that just ended' });
    await waitFor(() => expect(document.activeElement).toBe(within(form).getByLabelText('Outcome')));
    expect(screen.getByRole('button', { name: 'Call next: Sam Carter' })).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Numbers on this page' })).getAllByText(/· called/)).toHaveLength(1);
  });

  it('dials at once when the organization does not require it, with the wrap-up still offered', async () => {
    calledMaria();
    const w = world({ required: false, state: 'open' });
    render(<App api={w.api} />);
    await screen.findByRole('form', { name: 'Wrap-up of the call that just ended' });
    await userEvent.click(await screen.findByRole('button', { name: 'Call next: Sam Carter' }));
    expect(w.api.dial).toHaveBeenCalledWith(expect.objectContaining({ to: '+14155550112' }));
    expect(screen.queryByText(HELD)).toBeNull();
  });
});
