// @vitest-environment jsdom
// The admin section as an admin and as an agent see it, over a small stand-in for the backend's admin routes (the
// routes themselves are tested on both databases in backend/routes/wrapups.test.ts).
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../shared/api.js';
import { AdminOutcomes } from './admin-outcomes.js';

afterEach(cleanup);

function adminBackend(isAdmin: boolean) {
  const outcomes: CallOutcome[] = ['Connected', 'Busy'].map((label, i) => ({ id: `00000000-0000-4000-8000-00000000000${i + 1}`, label, matchesStatuses: [], position: i * 10, archived: false }));
  const state = { wrapUpRequired: false, requests: [] as Array<{ path: string; body: unknown }> };
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetchImpl = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    const body: unknown = init.body ? JSON.parse(String(init.body)) : undefined;
    state.requests.push({ path, body });
    if (!isAdmin) return json(403, { error: { code: 'not-an-admin', message: 'Only an admin of your organization can change this.' } });
    if (path === '/api/admin/outcomes' && !body) return json(200, { wrapUpRequired: state.wrapUpRequired, outcomes });
    if (path === '/api/admin/outcomes') {
      const outcome = { id: '00000000-0000-4000-8000-000000000009', label: (body as { label: string }).label, matchesStatuses: [], position: 90, archived: false };
      outcomes.push(outcome);
      return json(201, { outcome });
    }
    if (path === '/api/admin/wrap-up-setting') {
      state.wrapUpRequired = (body as { wrapUpRequired: boolean }).wrapUpRequired;
      return json(200, state);
    }
    const o = outcomes.find((x) => path.endsWith(x.id))!;
    Object.assign(o, body);
    return json(200, { outcome: o });
  }) as unknown as typeof fetch;
  return { fetchImpl, state, getAuth: async () => ({ backendUrl: 'http://backend.test', accessToken: 'token' }) };
}

describe('the options page\'s admin section', () => {
  it('lets an admin add and archive outcomes and require wrap-ups', async () => {
    const b = adminBackend(true);
    render(<AdminOutcomes getAuth={b.getAuth} fetchImpl={b.fetchImpl} />);
    const list = await screen.findByRole('list', { name: 'Call outcomes' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    await userEvent.type(screen.getByLabelText('New outcome'), 'Demo booked');
    await userEvent.click(screen.getByRole('button', { name: 'Add outcome' }));
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(3));
    await userEvent.click(screen.getByRole('button', { name: 'Archive Busy' }));
    await screen.findByRole('button', { name: 'Restore Busy' });
    await userEvent.click(screen.getByLabelText("Require a wrap-up before an agent's next call"));
    await waitFor(() => expect((screen.getByLabelText("Require a wrap-up before an agent's next call") as HTMLInputElement).checked).toBe(true));
    expect(b.state.requests.filter((r) => r.body !== undefined)).toEqual([
      { path: '/api/admin/outcomes', body: { label: 'Demo booked' } },
      { path: '/api/admin/outcomes/00000000-0000-4000-8000-000000000002', body: { archived: true } },
      { path: '/api/admin/wrap-up-setting', body: { wrapUpRequired: true } },
    ]);
  });

  it('shows nothing to an agent who is not an admin', async () => {
    const b = adminBackend(false);
    const { container } = render(<AdminOutcomes getAuth={b.getAuth} fetchImpl={b.fetchImpl} />);
    await waitFor(() => expect(b.state.requests).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(container.innerHTML).toBe('');
  });
});
