// @vitest-environment jsdom
// The options page's admin section: hidden from agents who are not admins; shows the secret once; disabled endpoints say why.
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AdminWebhooks, type AdminEndpoint, type AdminWebhooksApi } from './admin-webhooks.js';

vi.mock('webextension-polyfill', () => ({ default: { runtime: { sendMessage: vi.fn() } } }));

afterEach(cleanup);

function fakeApi(endpoints: AdminEndpoint[] | null): AdminWebhooksApi & { added: Array<[string, string[]]> } {
  const added: Array<[string, string[]]> = [];
  let list = endpoints;
  return {
    added,
    list: async () => (list ? { endpoints: list, deliveries: [] } : null),
    add: async (url, events) => {
      added.push([url, events]);
      const endpoint = { id: 'e2', url, events, description: '', enabled: true, disabledReason: null };
      list = [...(list ?? []), endpoint];
      return { endpoint, secret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0cw==' };
    },
    rotate: async () => ({ endpoint: list![0]!, secret: 'whsec_bmV3bmV3bmV3bmV3bmV3bmV3bmV3bmV3bmV3bmV3bmV3' }),
    setEnabled: async () => undefined,
    ping: async () => undefined,
    remove: async () => undefined,
  };
}

describe('the admin webhooks section', () => {
  it('shows nothing to someone who is not an admin', async () => {
    const { container } = render(<AdminWebhooks api={fakeApi(null)} />);
    await new Promise((r) => setTimeout(r, 20));
    expect(container.innerHTML).toBe('');
  });

  it('adds an endpoint with the chosen events and shows its secret once', async () => {
    const api = fakeApi([]);
    render(<AdminWebhooks api={api} />);
    await userEvent.type(await screen.findByLabelText('Endpoint URL'), 'https://hooks.zapier.com/hooks/catch/1/abc/');
    await userEvent.click(screen.getByLabelText('call.started'));
    await userEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    expect(api.added).toEqual([['https://hooks.zapier.com/hooks/catch/1/abc/', ['call.answered', 'call.completed', 'call.wrapped_up']]]);
    expect((await screen.findByRole('status')).textContent).toMatch(/Copy it now: it is not shown again\.whsec_c2Vj/);
    await userEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByText(/whsec_/)).toBeNull();
    expect(screen.getByText('https://hooks.zapier.com/hooks/catch/1/abc/')).toBeTruthy();
  });

  it('says why an endpoint was disabled and offers to enable it again', async () => {
    render(<AdminWebhooks api={fakeApi([{ id: 'e1', url: 'https://crm.example.com/hook', events: ['call.completed'], description: '', enabled: false, disabledReason: 'Disabled after 50 failed deliveries in a row.' }])} />);
    expect((await screen.findByText(/^Disabled after 50 failed deliveries/)).textContent).toBe('Disabled after 50 failed deliveries in a row.');
    expect(screen.getByRole('alert', { name: 'Endpoints disabled after failing' }).textContent).toMatch(/^Deliveries to https:\/\/crm\.example\.com\/hook stopped: it kept failing/);
    expect(screen.getByRole('button', { name: 'Enable https://crm.example.com/hook again' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send test ping' })).toHaveProperty('disabled', true);
  });

  it('warns of an endpoint still enabled but failing, and does not call an admin\'s own Disable a failure', async () => {
    render(<AdminWebhooks api={fakeApi([
      { id: 'e1', url: 'https://crm.example.com/hook', events: ['call.completed'], description: '', enabled: true, disabledReason: null, failureRun: 7, failingSince: '2026-12-01T09:30:00.000Z' },
      { id: 'e2', url: 'https://old.example.com/hook', events: ['call.completed'], description: '', enabled: false, disabledReason: 'An admin disabled it.', disabledAt: '2026-12-01T10:00:00.000Z' },
    ])} />);
    expect((await screen.findByText(/^Failing:/)).textContent).toMatch(/^Failing: 7 failed deliveries in a row since 2026-12-01 \d\d:30\./);
    expect(screen.getByText(/An admin disabled it\./).textContent).toMatch(/^2026-12-01 \d\d:00 · An admin disabled it\.$/);
    expect(screen.queryByRole('alert', { name: 'Endpoints disabled after failing' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Enable https://old.example.com/hook again' })).toBeTruthy();
  });
});
