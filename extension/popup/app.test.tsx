// @vitest-environment jsdom
// The popup's states as an agent sees them: signed out, idle, ringing, in call, ended with an error, and its history.
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentPresence, Call, CallsPage, LiveEvent, Session } from '../../shared/api.js';
import { applySoftphoneEvent, INITIAL_SOFTPHONE_STATE, type LiveCall, type SoftphoneEvent, type SoftphoneState } from '../protocol/softphone.js';
import { BackendError } from '../lib/backend-client.js';
import { App } from './app.js';
import type { PopupApi } from './popup-api.js';

const session: Session = {
  accessToken: 'a',
  refreshToken: 'r'.repeat(20),
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  agent: { id: '00000000-0000-4000-8000-000000000001', email: 'ada@example.com', displayName: 'Ada Agent', organizationId: '00000000-0000-4000-8000-0000000000aa', organizationName: 'Demo' },
};

const historyCall: Call = {
  id: '00000000-0000-4000-8000-0000000000c1',
  direction: 'outbound',
  status: 'completed',
  fromNumber: 'client:agent',
  toNumber: '+14155550123',
  contactName: 'Grace Hopper',
  assignedTo: session.agent.id,
  agentName: 'Ada Agent',
  twilioCallSid: 'CA1',
  dialCallSid: 'CA2',
  pageUrl: 'https://crm.example/contacts/7',
  pageTitle: 'Grace — CRM',
  createdAt: '2026-11-24T10:00:00.000Z',
  answeredAt: '2026-11-24T10:00:05.000Z',
  endedAt: '2026-11-24T10:01:10.000Z',
  duration: 65,
  errorCode: null,
  errorMessage: null,
};

const teammate: AgentPresence = { id: '00000000-0000-4000-8000-000000000002', displayName: 'Linus', email: 'l@example.com', status: 'on-call', currentCallId: null, currentCallPhoneNumber: '+14155550999' };

function stateWith(...events: SoftphoneEvent[]): SoftphoneState {
  let call: LiveCall | null = null;
  for (const event of [{ type: 'dial', id: 'c1', to: '+14155550123', contactName: 'Grace Hopper', at: 1_000 } as SoftphoneEvent, ...events]) call = applySoftphoneEvent(call, event);
  return { mode: 'simulated', ready: true, deviceError: null, call };
}

/** A finished call to Contact n, n minutes before historyCall (so a higher n is older). */
function olderCall(n: number): Call {
  const createdAt = new Date(Date.parse(historyCall.createdAt) - n * 60_000).toISOString();
  return { ...historyCall, id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, contactName: `Contact ${n}`, toNumber: `+1415555${String(n).padStart(4, '0')}`, createdAt };
}

const rowNames = (history: HTMLElement) => within(history).getAllByRole('listitem').map((row) => row.getAttribute('aria-label'));

/** `pages` answers fetchCalls by cursor ('' for the first page); without it the first page is `calls` and the whole history. */
function fakeApi(opts: { session?: Session | null; state?: SoftphoneState; calls?: Call[]; callsError?: Error; pages?: Record<string, CallsPage> } = {}) {
  const stateListeners = new Set<(s: SoftphoneState) => void>();
  const sessionListeners = new Set<(s: Session | null) => void>();
  let live: ((e: LiveEvent) => void) | null = null;
  const api: PopupApi = {
    readSession: async () => opts.session ?? null,
    onSessionChange: (l) => (sessionListeners.add(l), () => sessionListeners.delete(l)),
    signIn: vi.fn(async () => ({ ok: false as const, error: 'That email and password do not match an agent; check them and try again.', action: null })),
    signOut: vi.fn(async () => undefined),
    getAuth: async () => ({ backendUrl: 'http://127.0.0.1:3003', accessToken: 'a' }),
    getState: async () => opts.state ?? { ...INITIAL_SOFTPHONE_STATE, mode: 'simulated', ready: true },
    onState: (l) => (stateListeners.add(l), () => stateListeners.delete(l)),
    dial: vi.fn(async () => ({ ok: true as const })),
    hangup: vi.fn(async () => ({ ok: true as const })),
    setMuted: vi.fn(async () => ({ ok: true as const })),
    sendDigits: vi.fn(async () => ({ ok: true as const })),
    endServerCall: vi.fn(async () => ({ ok: true as const })),
    listPageNumbers: async () => ({ numbers: [{ e164: '+12125550188', text: '(212) 555-0188' }], pageUrl: 'https://site.example/', pageTitle: 'Site' }),
    fetchCalls: vi.fn(async (cursor?: string): Promise<CallsPage> => {
      if (opts.callsError) throw opts.callsError;
      if (!opts.pages) return { calls: opts.calls ?? [historyCall], nextCursor: null };
      const page = opts.pages[cursor ?? ''];
      if (!page) throw new Error(`no page for cursor ${cursor}`);
      return page;
    }),
    fetchAgents: async () => [teammate],
    followLiveEvents: (onEvent, signal) => {
      live = onEvent;
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve()));
    },
    openPermissionPage: vi.fn(async () => undefined),
    openOptions: vi.fn(async () => undefined),
  };
  return {
    api,
    emitState: (s: SoftphoneState) => act(() => stateListeners.forEach((l) => l(s))),
    emitSession: (s: Session | null) => act(() => sessionListeners.forEach((l) => l(s))),
    emitLive: (e: LiveEvent) => act(() => live?.(e)),
  };
}

afterEach(cleanup);

describe('popup', () => {
  it('signed out: shows a sign-in form that Enter submits, and the reason it failed', async () => {
    const { api } = fakeApi({ session: null });
    render(<App api={api} />);
    const email = await screen.findByLabelText('Email');
    expect(email).toHaveProperty('type', 'email');
    expect(screen.getByLabelText('Password')).toHaveProperty('type', 'password');
    await userEvent.type(email, 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'secret{Enter}');
    expect(api.signIn).toHaveBeenCalledWith('ada@example.com', 'secret');
    expect((await screen.findByRole('alert')).textContent).toContain('That email and password do not match an agent; check them and try again.');
  });

  it('goes from the sign-in form to the signed-in view when the session arrives', async () => {
    const f = fakeApi({ session: null });
    render(<App api={f.api} />);
    await screen.findByRole('button', { name: 'Sign in' });
    f.emitSession(session);
    expect(await screen.findByText('Ada Agent')).toBeTruthy();
    expect(screen.queryByLabelText('Password')).toBeNull();
  });

  it('idle: shows the status, the numbers on this page, history and teammates, and dials from them', async () => {
    const { api } = fakeApi({ session });
    render(<App api={api} />);
    expect(await screen.findByText('Ready to call')).toBeTruthy();
    const history = await screen.findByRole('list', { name: 'Call history' });
    const row = within(history).getByRole('listitem');
    expect((row).textContent).toContain('Grace Hopper');
    expect((row).textContent).toContain('Completed');
    expect((row).textContent).toContain('1:05');
    expect(within(row).getByRole('link', { name: 'Grace — CRM' })).toHaveProperty('href', 'https://crm.example/contacts/7');
    await userEvent.click(within(row).getByRole('button', { name: 'Redial Grace Hopper' }));
    expect(api.dial).toHaveBeenLastCalledWith(expect.objectContaining({ to: '+14155550123', contactName: 'Grace Hopper' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Call (212) 555-0188' }));
    expect(api.dial).toHaveBeenLastCalledWith({ to: '+12125550188', pageUrl: 'https://site.example/', pageTitle: 'Site' });
    expect((within(screen.getByRole('list', { name: 'Teammates' })).getByRole('listitem')).textContent).toContain('Linus');
    expect((screen.getByRole('list', { name: 'Teammates' })).textContent).toContain('On a call ((415) 555-0999)');
  });

  it('ringing: shows who is being called and lets the agent hang up', async () => {
    const f = fakeApi({ session, state: stateWith({ type: 'ringing' }) });
    render(<App api={f.api} />);
    expect((await screen.findByRole('status', { name: 'Call status' })).textContent).toContain('Ringing…');
    expect((screen.getByRole('region', { name: 'Current call' })).textContent).toContain('Grace Hopper');
    expect(screen.getByRole('button', { name: 'Mute' })).toHaveProperty('disabled', true);
    await userEvent.click(screen.getByRole('button', { name: 'Hang up' }));
    expect(f.api.hangup).toHaveBeenCalled();
  });

  it('in call: counts the time, mutes, sends keypad digits and shows quality warnings', async () => {
    let now = 1_000;
    const f = fakeApi({ session, state: stateWith({ type: 'accept', at: 1_000 }) });
    render(<App api={f.api} now={() => now} />);
    const status = await screen.findByRole('status', { name: 'Call status' });
    expect((status).textContent).toContain('In call 0:00');
    now = 66_000;
    f.emitState(stateWith({ type: 'accept', at: 1_000 }, { type: 'warning', name: 'high-rtt' }));
    // The timer ticks once a second of real time; waitFor's default 1 s left no margin on a busy machine (flaky under npm test).
    await waitFor(() => expect((screen.getByRole('status', { name: 'Call status' })).textContent).toContain('In call 1:05'), { timeout: 3000 });
    expect(screen.getByText('The connection is slow; the other side may hear you late.')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Mute' }));
    expect(f.api.setMuted).toHaveBeenCalledWith(true);
    f.emitState(stateWith({ type: 'accept', at: 1_000 }, { type: 'mute', muted: true }));
    expect(await screen.findByRole('button', { name: 'Unmute' })).toHaveProperty('ariaPressed', 'true');
    await userEvent.click(screen.getByRole('button', { name: 'Keypad' }));
    await userEvent.click(screen.getByRole('button', { name: 'Send 7' }));
    expect(f.api.sendDigits).toHaveBeenCalledWith('7');
    expect(screen.getByLabelText('Number to call').closest('form')?.querySelector('button')).toHaveProperty('disabled', true);
  });

  it('error: a call that failed for the microphone offers the fix', async () => {
    const blocked = stateWith({ type: 'error', error: { code: 31208, message: 'Microphone blocked — click to fix.', action: 'open-permission' } }, { type: 'disconnect', at: 2 });
    const f = fakeApi({ session, state: blocked });
    render(<App api={f.api} />);
    expect((await screen.findByRole('status', { name: 'Call status' })).textContent).toContain('Call ended: failed');
    await userEvent.click(screen.getByRole('button', { name: 'Open the permission page' }));
    expect(f.api.openPermissionPage).toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: 'Hang up' })).toBeNull();
  });

  it("error: says when the backend can't be reached and links to options", async () => {
    const f = fakeApi({ session, callsError: new BackendError("Can't reach the backend at http://127.0.0.1:3003. Check that it is running and that Options has the right address.", null, null, 'check-backend') });
    render(<App api={f.api} />);
    expect((await screen.findByRole('alert')).textContent).toContain("Can't reach the backend at http://127.0.0.1:3003.");
    await userEvent.click(screen.getByRole('button', { name: 'Open options' }));
    expect(f.api.openOptions).toHaveBeenCalled();
  });

  it('shows a refused dial as a sentence', async () => {
    const f = fakeApi({ session });
    vi.mocked(f.api.dial).mockResolvedValueOnce({ ok: false, error: 'Sign in to call.', action: 'sign-in' });
    render(<App api={f.api} />);
    await userEvent.type(await screen.findByLabelText('Number to call'), '4155550123{Enter}');
    expect((await screen.findByRole('alert')).textContent).toContain('Sign in to call.');
  });

  it('adds calls from the live event stream to the history', async () => {
    const f = fakeApi({ session, calls: [] });
    render(<App api={f.api} />);
    expect(await screen.findByText('No calls of yours yet.')).toBeTruthy();
    f.emitLive({ type: 'call', call: { ...historyCall, id: '00000000-0000-4000-8000-0000000000c2', status: 'ringing', contactName: 'Alan Turing', duration: null } });
    const history = await screen.findByRole('list', { name: 'Call history' });
    expect((within(history).getByRole('listitem')).textContent).toContain('Alan Turing');
    expect((within(history).getByRole('listitem')).textContent).toContain('Ringing');
  });

  it('shows older calls page by page until the history is complete', async () => {
    const f = fakeApi({
      session,
      pages: { '': { calls: [historyCall, olderCall(1)], nextCursor: 'after-1' }, 'after-1': { calls: [olderCall(2), olderCall(3)], nextCursor: 'after-3' }, 'after-3': { calls: [olderCall(4)], nextCursor: null } },
    });
    render(<App api={f.api} />);
    const history = await screen.findByRole('list', { name: 'Call history' });
    expect(rowNames(history)).toEqual(['Grace Hopper, Completed', 'Contact 1, Completed']);
    expect(screen.queryByText('That is all your calls.')).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Show older calls' }));
    await waitFor(() => expect(rowNames(history)).toHaveLength(4));
    expect(rowNames(history)).toEqual(['Grace Hopper, Completed', 'Contact 1, Completed', 'Contact 2, Completed', 'Contact 3, Completed']);
    expect(f.api.fetchCalls).toHaveBeenLastCalledWith('after-1');
    expect(screen.queryByText('That is all your calls.')).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Show older calls' }));
    expect(await screen.findByText('That is all your calls.')).toBeTruthy();
    expect(f.api.fetchCalls).toHaveBeenLastCalledWith('after-3');
    expect(rowNames(history).at(-1)).toBe('Contact 4, Completed');
    expect(screen.queryByRole('button', { name: 'Show older calls' })).toBeNull();
  });

  it('disables the button and says so while older calls are loading, and lists a call both pages hold once', async () => {
    const f = fakeApi({ session, pages: { '': { calls: [historyCall, olderCall(1)], nextCursor: 'after-1' } } });
    let answer: (page: CallsPage) => void = () => undefined;
    render(<App api={f.api} />);
    const history = await screen.findByRole('list', { name: 'Call history' });
    vi.mocked(f.api.fetchCalls).mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    await userEvent.click(screen.getByRole('button', { name: 'Show older calls' }));
    expect(screen.getByRole('button', { name: 'Loading older calls…' })).toHaveProperty('disabled', true);
    // A call created while the agent read the list can slide onto the next page too.
    await act(async () => answer({ calls: [olderCall(1), olderCall(2)], nextCursor: null }));
    expect(rowNames(history)).toEqual(['Grace Hopper, Completed', 'Contact 1, Completed', 'Contact 2, Completed']);
    expect(screen.queryByRole('button', { name: /older calls/ })).toBeNull();
  });

  it('keeps older calls when a live event updates a recent one', async () => {
    const f = fakeApi({ session, pages: { '': { calls: [historyCall], nextCursor: 'after-0' }, 'after-0': { calls: [olderCall(1), olderCall(2)], nextCursor: 'after-2' } } });
    render(<App api={f.api} />);
    const history = await screen.findByRole('list', { name: 'Call history' });
    await userEvent.click(screen.getByRole('button', { name: 'Show older calls' }));
    await waitFor(() => expect(rowNames(history)).toHaveLength(3));

    f.emitLive({ type: 'call', call: { ...historyCall, status: 'failed', duration: null } });
    f.emitLive({ type: 'call', call: { ...historyCall, id: '00000000-0000-4000-8000-0000000000c2', contactName: 'Alan Turing', status: 'ringing', duration: null, createdAt: '2026-11-24T11:00:00.000Z' } });
    expect(rowNames(history)).toEqual(['Alan Turing, Ringing', 'Grace Hopper, Failed', 'Contact 1, Completed', 'Contact 2, Completed']);
    // Paging goes on from the oldest call shown.
    expect(screen.getByRole('button', { name: 'Show older calls' })).toBeTruthy();
  });

  it('says in words that older calls could not be loaded and keeps the ones shown', async () => {
    const f = fakeApi({ session, pages: { '': { calls: [historyCall, olderCall(1)], nextCursor: 'after-1' }, 'after-1': { calls: [olderCall(2)], nextCursor: null } } });
    render(<App api={f.api} />);
    const history = await screen.findByRole('list', { name: 'Call history' });
    vi.mocked(f.api.fetchCalls).mockRejectedValueOnce(new BackendError("Can't reach the backend at http://127.0.0.1:3003. Check that it is running and that Options has the right address.", null, null, 'check-backend'));
    await userEvent.click(screen.getByRole('button', { name: 'Show older calls' }));
    expect((await screen.findByRole('alert')).textContent).toBe("Older calls could not be loaded. Can't reach the backend at http://127.0.0.1:3003. Check that it is running and that Options has the right address.");
    expect(rowNames(history)).toEqual(['Grace Hopper, Completed', 'Contact 1, Completed']);

    // The same button tries again, and the sentence goes once it works.
    await userEvent.click(screen.getByRole('button', { name: 'Show older calls' }));
    expect(await screen.findByText('That is all your calls.')).toBeTruthy();
    expect(rowNames(history)).toEqual(['Grace Hopper, Completed', 'Contact 1, Completed', 'Contact 2, Completed']);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('offers no older calls when the first page is the whole history', async () => {
    const f = fakeApi({ session, calls: [historyCall, olderCall(1)] });
    render(<App api={f.api} />);
    await screen.findByRole('list', { name: 'Call history' });
    expect(screen.queryByRole('button', { name: /older calls/ })).toBeNull();
    // "All your calls" only answers a user who paged; two calls need no such line.
    expect(screen.queryByText('That is all your calls.')).toBeNull();
  });

  it('signs out', async () => {
    const f = fakeApi({ session });
    render(<App api={f.api} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(f.api.signOut).toHaveBeenCalled();
  });

  it('clears a refused dial’s sentence once a call starts, and never shows one sentence twice', async () => {
    const f = fakeApi({ session });
    f.api.dial = vi.fn(async () => ({ ok: false as const, error: 'That number cannot be called.', action: null }));
    render(<App api={f.api} />);
    const field = await screen.findByLabelText('Number to call');
    await userEvent.type(field, '12{Enter}');
    await screen.findByText('That number cannot be called.');
    // A call started from a page: the old sentence goes.
    f.emitState(stateWith());
    await vi.waitFor(() => expect(screen.queryByText('That number cannot be called.')).toBeNull());
  });

  it('asks before signing out during a call, and stays when told to', async () => {
    const f = fakeApi({ session, state: stateWith({ type: 'accept', at: 2_000 }) });
    render(<App api={f.api} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toContain('You are on a call with Grace Hopper. Hang up and sign out?');
    expect(document.activeElement?.textContent).toBe('Stay on the call');
    expect(f.api.signOut).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Stay on the call' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(f.api.signOut).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Hang up and sign out' }));
    expect(f.api.signOut).toHaveBeenCalled();
  });
});
