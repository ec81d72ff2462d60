// @vitest-environment jsdom
// The admin section's call results per outcome, against the real backend (over HTTP, on an embedded database): an
// admin ticks which results pre-select an outcome, the backend keeps one outcome per result and says so when refused.
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CallOutcome } from '../../shared/api.js';
import { startChildServer, type ChildServer } from '../../test/support/backend/child-process-server.js';
import { AdminOutcomes } from './admin-outcomes.js';

// The backend in its own process (jsdom's realm and the backend's crypto do not mix); the demo agent is its admin.
const PASSWORD = 'outcome-results-1';
let server: ChildServer;
let dataDir = '';
let token = '';
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'c2c-outcome-results-'));
  server = await startChildServer('backend/main.ts', { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_PASSWORD: PASSWORD });
  const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'demo@example.com', password: PASSWORD }) });
  token = ((await login.json()) as { accessToken: string }).accessToken;
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});
afterEach(cleanup);

const getAuth = async () => ({ backendUrl: server.url, accessToken: token });
const agentsOutcomes = async () => ((await (await fetch(`${server.url}/api/wrapups/outcomes`, { headers: { authorization: `Bearer ${token}` } })).json()) as { outcomes: CallOutcome[] }).outcomes;
const results = (label: string) => screen.getByRole('group', { name: `Call results that pre-select ${label}` });

describe('the admin section\'s call results per outcome', () => {
  it('shows each outcome\'s results, moves one from an outcome to another, and shows the backend\'s refusal', async () => {
    render(<AdminOutcomes getAuth={getAuth} />);
    await screen.findByRole('list', { name: 'Call outcomes' });
    expect((within(results('Busy')).getByLabelText('Busy') as HTMLInputElement).checked).toBe(true);
    expect((within(results('No answer')).getByLabelText('No answer') as HTMLInputElement).checked).toBe(true);
    expect((within(results('No answer')).getByLabelText('Canceled') as HTMLInputElement).checked).toBe(true);

    // Busy calls are already Busy's: refused with the backend's sentence, and the box comes back unticked.
    const laterBusy = within(results('Call back later')).getByLabelText('Busy') as HTMLInputElement;
    await userEvent.click(laterBusy);
    expect((await screen.findByRole('alert')).textContent).toBe('“Busy” is already pre-selected for busy calls: take that result off “Busy” first.');
    await waitFor(() => expect(laterBusy.checked).toBe(false));

    // Taken off Busy, then given to Call back later: agents' wrap-ups now pre-select it for busy calls.
    await userEvent.click(within(results('Busy')).getByLabelText('Busy'));
    await waitFor(async () => expect((await agentsOutcomes()).find((o) => o.label === 'Busy')!.matchesStatuses).toEqual([]));
    await userEvent.click(laterBusy);
    await waitFor(async () => expect((await agentsOutcomes()).find((o) => o.label === 'Call back later')!.matchesStatuses).toEqual(['busy']));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(laterBusy.checked).toBe(true);
    // Adding a result keeps the others, in the usual order.
    await userEvent.click(within(results('Call back later')).getByLabelText('Answered'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^“Connected” is already pre-selected for answered calls/);
    await userEvent.click(within(results('Connected')).getByLabelText('Answered'));
    await waitFor(async () => expect((await agentsOutcomes()).find((o) => o.label === 'Connected')!.matchesStatuses).toEqual([]));
    await userEvent.click(within(results('Call back later')).getByLabelText('Answered'));
    await waitFor(async () => expect((await agentsOutcomes()).find((o) => o.label === 'Call back later')!.matchesStatuses).toEqual(['completed', 'busy']));
  });

  it('leaves an archived outcome\'s results alone', async () => {
    render(<AdminOutcomes getAuth={getAuth} />);
    await screen.findByRole('list', { name: 'Call outcomes' });
    await userEvent.click(screen.getByRole('button', { name: 'Archive Wrong number' }));
    await screen.findByRole('button', { name: 'Restore Wrong number' });
    expect(within(results('Wrong number')).getByLabelText('Failed').matches(':disabled')).toBe(true);
  });
});
