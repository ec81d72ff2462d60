// @vitest-environment jsdom
// The popup through an agent's day: status chosen, the page's numbers as a call list with Call next, Mine/Team history
// with who placed each call, relative dates, redial with the extension (never for a refused number), keypad typing.
import { act, cleanup, configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentPresence, Call, Session } from '../../shared/api.js';
import { INITIAL_SOFTPHONE_STATE, type SoftphoneState } from '../protocol/softphone.js';
import { App } from './app.js';
import { relativeWhen } from './format.js';
import type { PageNumbers, PopupApi } from './popup-api.js';

const me = '00000000-0000-4000-8000-000000000001';
const mate = '00000000-0000-4000-8000-000000000002';
const session: Session = {
  accessToken: 'a',
  refreshToken: 'r'.repeat(20),
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  agent: { id: me, email: 'ada@example.com', displayName: 'Ada Agent', organizationId: '00000000-0000-4000-8000-0000000000aa', organizationName: 'Demo' },
};
const call = (n: number, over: Partial<Call>): Call => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, direction: 'outbound', status: 'completed', fromNumber: 'client:x', toNumber: '+14155550123',
  contactName: null, assignedTo: me, agentName: 'Ada Agent', twilioCallSid: null, dialCallSid: null, pageUrl: null, pageTitle: null,
  createdAt: new Date(Date.now() - n * 60_000).toISOString(), answeredAt: null, endedAt: null, duration: 12, errorCode: null, errorMessage: null, extension: null, ...over,
});
const agents: AgentPresence[] = [
  { id: me, displayName: 'Ada Agent', email: 'ada@example.com', status: 'available', chosenPresence: 'available', online: true, currentCallId: null, currentCallPhoneNumber: null },
  { id: mate, displayName: 'Tess Mate', email: 't@example.com', status: 'dnd', chosenPresence: 'dnd', online: true, currentCallId: null, currentCallPhoneNumber: null },
];

function fakeApi(page: PageNumbers, calls: Call[], state: SoftphoneState = { ...INITIAL_SOFTPHONE_STATE, mode: 'simulated', ready: true }) {
  const stateListeners = new Set<(s: SoftphoneState) => void>();
  const api: PopupApi = {
    readSession: async () => session,
    onSessionChange: () => () => undefined,
    signIn: vi.fn(),
    signOut: vi.fn(async () => undefined),
    endServerCall: vi.fn(async () => ({ ok: true as const })),
    getAuth: async () => ({ backendUrl: 'http://127.0.0.1:3003', accessToken: 'a' }),
    getState: async () => state,
    onState: (l) => (stateListeners.add(l), () => stateListeners.delete(l)),
    dial: vi.fn(async () => ({ ok: true as const })),
    hangup: vi.fn(async () => ({ ok: true as const })),
    setMuted: vi.fn(async () => ({ ok: true as const })),
    sendDigits: vi.fn(async () => ({ ok: true as const })),
    listPageNumbers: async () => page,
    fetchCalls: async () => ({ calls, nextCursor: null }),
    fetchAgents: async () => agents,
    followLiveEvents: (_on, signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve())),
    openPermissionPage: vi.fn(async () => undefined),
    openOptions: vi.fn(async () => undefined),
    setPresence: vi.fn(async (presence) => ({ ok: true as const, agent: { ...agents[0]!, status: presence, chosenPresence: presence } })),
    defaultCountry: async () => 'US',
  };
  return { api, emitState: (s: SoftphoneState) => act(() => stateListeners.forEach((l) => l(s))) };
}

const page: PageNumbers = {
  pageUrl: 'https://crm.example/list',
  pageTitle: 'Leads',
  numbers: [
    { e164: '+14155550111', text: '(415) 555-0111', contactName: 'Maria Lopez', frame: null },
    { e164: '+14155550112', text: '415.555.0112', extension: '204', contactName: 'Sam Carter', frame: null },
    { e164: '+14155550113', text: '(415) 555-0113', frame: 'widgets.example' },
  ],
};

afterEach(cleanup);
// A loaded machine (several suites at once) renders slower than testing-library's 1 s default.
configure({ asyncUtilTimeout: 5000 });

describe('popup for a working day', () => {
  it('lists the page with names, formatted numbers, extensions and frames; search filters; Call next goes down the list only when asked', async () => {
    localStorage.clear();
    const f = fakeApi(page, []);
    render(<App api={f.api} />);
    const list = await screen.findByRole('list', { name: 'Numbers on this page' });
    expect(list.textContent).toContain('Maria Lopez');
    expect(list.textContent).toContain('(415) 555-0112 ext. 204');
    expect(list.textContent).toContain('in widgets.example');
    expect(list.textContent).not.toContain('+1415');

    await userEvent.click(screen.getByRole('button', { name: 'Call next: Maria Lopez' }));
    expect(f.api.dial).toHaveBeenLastCalledWith({ to: '+14155550111', contactName: 'Maria Lopez', pageUrl: 'https://crm.example/list', pageTitle: 'Leads' });
    // The popup closes whenever the page is clicked: opened again on the same page, Call next goes on from where it was.
    cleanup();
    render(<App api={f.api} />);
    await screen.findByRole('button', { name: 'Call next: Sam Carter' });
    // While that call is live, Call next waits.
    f.emitState({ mode: 'simulated', ready: true, deviceError: null, call: { id: 'c1', callSid: 'CA1', to: '+14155550111', contactName: 'Maria Lopez', pageUrl: null, pageTitle: null, phase: 'open', status: null, startedAt: 1, answeredAt: 1, endedAt: null, muted: false, warnings: [], error: null } });
    expect((screen.getByRole('button', { name: 'Call next: Sam Carter' }) as HTMLButtonElement).disabled).toBe(true);
    f.emitState({ mode: 'simulated', ready: true, deviceError: null, call: { id: 'c1', callSid: 'CA1', to: '+14155550111', contactName: 'Maria Lopez', pageUrl: null, pageTitle: null, phase: 'ended', status: 'completed', startedAt: 1, answeredAt: 1, endedAt: 2, muted: false, warnings: [], error: null } });
    expect(f.api.dial).toHaveBeenCalledTimes(1);
    await userEvent.click(screen.getByRole('button', { name: 'Call next: Sam Carter' }));
    expect(f.api.dial).toHaveBeenLastCalledWith(expect.objectContaining({ to: '+14155550112', extension: '204', contactName: 'Sam Carter' }));
    await userEvent.click(screen.getByRole('button', { name: 'Call next: (415) 555-0113' }));
    expect(f.api.dial).toHaveBeenLastCalledWith(expect.objectContaining({ to: '+14155550113' }));
    expect(screen.queryByRole('button', { name: /^Call next/ })).toBeNull();

    await userEvent.type(screen.getByRole('searchbox', { name: 'Search numbers on this page' }), 'sam');
    expect(within(screen.getByRole('list', { name: 'Numbers on this page' })).getAllByRole('listitem')).toHaveLength(1);
  });

  it('shows the numbers the organization refuses as not callable, and Call next skips them', async () => {
    localStorage.clear();
    const withRefused: PageNumbers = {
      pageUrl: 'https://crm.example/mixed',
      numbers: [
        { e164: '+442079460958', text: '+44 20 7946 0958', contactName: 'London Office', frame: null },
        { e164: '+14155550111', text: '(415) 555-0111', contactName: 'Maria Lopez', frame: null },
        { e164: '+19005550199', text: '(900) 555-0199', contactName: 'Hotline', frame: null },
        { e164: '+14155550112', text: '(415) 555-0112', contactName: 'Sam Carter', frame: null },
      ],
    };
    const f = fakeApi(withRefused, []);
    f.api.numberPolicy = async () => ({ allowedCountries: ['US', 'CA'], blockedRanges: [{ id: 'nanp-976' }] });
    render(<App api={f.api} />);
    const list = await screen.findByRole('list', { name: 'Numbers on this page' });
    await waitFor(() => expect(list.textContent).toContain('Calls to the United Kingdom are not allowed for your team.'));
    expect(list.textContent).toContain('This number is a premium-rate number: calls to it are not allowed for your team.');
    expect(within(list).queryByRole('button', { name: /London Office/ })).toBeNull();
    expect(within(list).queryByRole('button', { name: /Hotline/ })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Call next: Maria Lopez' }));
    await userEvent.click(screen.getByRole('button', { name: 'Call next: Sam Carter' }));
    expect(f.api.dial).toHaveBeenCalledTimes(2);
    expect(screen.queryByRole('button', { name: /^Call next/ })).toBeNull();
  });

  it('history: Mine by default, Team with who placed each call; relative dates; redial keeps the extension; no redial for a refused number', async () => {
    const calls = [
      call(1, { contactName: 'Own lead', extension: '204' }),
      call(2, { contactName: 'Their lead', assignedTo: mate, agentName: 'Tess Mate' }),
      call(3, { contactName: 'Premium', toNumber: '+19005550100', status: 'failed', errorCode: 'premium-number', errorMessage: 'This call was refused: +19005550100 is a premium-rate number.' }),
    ];
    const f = fakeApi({ numbers: [] }, calls);
    render(<App api={f.api} />);
    const history = await screen.findByRole('list', { name: 'Call history' });
    expect(within(history).getAllByRole('listitem').map((r) => r.getAttribute('aria-label'))).toEqual(['Own lead, Completed', 'Premium, Failed']);
    expect(history.textContent).toMatch(/Today \d\d:\d\d/);
    expect(history.textContent).toContain('Not callable: This call was refused');
    expect(within(history).queryByRole('button', { name: 'Redial Premium' })).toBeNull();
    await userEvent.click(within(history).getByRole('button', { name: 'Redial Own lead' }));
    expect(f.api.dial).toHaveBeenLastCalledWith(expect.objectContaining({ to: '+14155550123', extension: '204' }));

    await userEvent.click(within(screen.getByRole('group', { name: 'Whose calls' })).getByRole('button', { name: 'Team' }));
    const team = screen.getByRole('list', { name: 'Call history' });
    expect(team.textContent).toContain('placed by Tess Mate');
    expect(within(team).getAllByRole('listitem')).toHaveLength(3);
  });

  it('the agent chooses a status; teammates show theirs in words', async () => {
    const f = fakeApi({ numbers: [] }, []);
    render(<App api={f.api} />);
    const select = await screen.findByRole('combobox', { name: 'Your status' });
    await waitFor(() => expect((select as HTMLSelectElement).disabled).toBe(false));
    await userEvent.selectOptions(select, 'away');
    expect(f.api.setPresence).toHaveBeenCalledWith('away');
    expect((select as HTMLSelectElement).value).toBe('away');
    expect(screen.getByRole('list', { name: 'Teammates' }).textContent).toContain('Do not disturb');
  });

  it('focuses the number field on open; the keypad takes typed digits; the timer is not a live announcement', async () => {
    const open: SoftphoneState = { mode: 'simulated', ready: true, deviceError: null, call: { id: 'c1', callSid: 'CA1', to: '+14155550111', contactName: null, pageUrl: null, pageTitle: null, phase: 'open', status: null, startedAt: 1, answeredAt: Date.now(), endedAt: null, muted: false, warnings: [], error: null } };
    const f = fakeApi({ numbers: [] }, [], open);
    render(<App api={f.api} />);
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('Number to call'));
    expect((await screen.findByRole('region', { name: 'Current call' })).textContent).toContain('(415) 555-0111');
    expect(screen.getByRole('timer').getAttribute('aria-live')).toBe('off');
    await userEvent.click(screen.getByRole('button', { name: 'Keypad' }));
    await userEvent.keyboard('4#');
    expect(f.api.sendDigits).toHaveBeenCalledWith('4');
    expect(f.api.sendDigits).toHaveBeenCalledWith('#');
  });

  it('relative dates: today, yesterday, then the date, in English', () => {
    const now = new Date(2026, 11, 1, 15, 0);
    expect(relativeWhen(new Date(2026, 11, 1, 14, 2).toISOString(), now)).toBe('Today 14:02');
    expect(relativeWhen(new Date(2026, 10, 30, 9, 10).toISOString(), now)).toBe('Yesterday 09:10');
    expect(relativeWhen(new Date(2026, 10, 24, 10, 0).toISOString(), now)).toBe('Nov 24 10:00');
    expect(relativeWhen(new Date(2025, 10, 24, 10, 0).toISOString(), now)).toBe('Nov 24, 2025 10:00');
  });
});
