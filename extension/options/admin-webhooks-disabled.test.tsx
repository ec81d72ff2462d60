// @vitest-environment jsdom
// The admin's notice when the backend disables a failing endpoint, against the real backend in its own process: the
// endpoint fails until disabled, the section says so (why, the last error, when), and enabling it again delivers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startChildServer, type ChildServer } from '../../test/support/backend/child-process-server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/support/backend/webhook-receiver.js';
import { AdminWebhooks, createAdminWebhooksApi } from './admin-webhooks.js';

vi.mock('webextension-polyfill', () => ({ default: { runtime: { sendMessage: vi.fn() } } }));

const PASSWORD = 'webhooks-notice-1';
let server: ChildServer;
let receiver: WebhookReceiver;
let dataDir = '';
let token = '';
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'c2c-webhooks-notice-'));
  // Three failures in a row disable an endpoint here (fifty over a day by default), retried fast.
  server = await startChildServer('backend/main.ts', {
    PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_PASSWORD: PASSWORD,
    WEBHOOK_DISABLE_AFTER_FAILURES: '3', WEBHOOK_DISABLE_AFTER_HOURS: '0', WEBHOOK_RETRY_BASE_SECONDS: '0.2', WEBHOOK_POLL_MS: '50',
  });
  receiver = await startWebhookReceiver();
  const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'demo@example.com', password: PASSWORD }) });
  token = ((await login.json()) as { accessToken: string }).accessToken;
}, 60_000);
afterAll(async () => {
  await receiver?.close();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});
afterEach(cleanup);

/** Clicks Refresh until `check` holds (the section shows what it last read). */
async function refreshUntil(check: () => boolean, what: string) {
  for (const until = Date.now() + 30_000; !check(); ) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('an endpoint the backend disabled, in the options page', () => {
  it('is called out with why, the last error and when, and enabling it again delivers what waited', async () => {
    const api = createAdminWebhooksApi(async () => ({ backendUrl: server.url, accessToken: token }));
    render(<AdminWebhooks api={api} />);
    await userEvent.type(await screen.findByLabelText('Endpoint URL'), receiver.url);
    await userEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    const secret = (await screen.findByText(/^whsec_/)).textContent!;
    receiver.setSecret(secret);
    await userEvent.click(screen.getByRole('button', { name: 'Done' }));

    receiver.setDown(true);
    // The list comes back from the backend after Done: wait for the endpoint's row (a loaded machine takes a while).
    await userEvent.click(await screen.findByRole('button', { name: 'Send test ping' }, { timeout: 15_000 }));
    await refreshUntil(() => screen.queryByRole('alert', { name: 'Endpoints disabled after failing' }) !== null, 'the notice');
    expect(receiver.received.length).toBeGreaterThanOrEqual(3);

    const notice = screen.getByRole('alert', { name: 'Endpoints disabled after failing' });
    expect(notice.textContent).toMatch(new RegExp(`^Deliveries to ${receiver.url.replace(/[.?/]/g, '\\$&')} stopped on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d: it kept failing, so it was disabled\\. Nothing is lost`));
    const row = within(screen.getByRole('list', { name: 'Webhook endpoints' })).getAllByRole('listitem')[0]!;
    expect(row.textContent).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d · Disabled after 3 failed deliveries in a row since .* UTC \(last: The endpoint answered 503: Down for maintenance\)\. Fix the endpoint, then enable it again/);
    expect(within(row).getByRole('button', { name: 'Send test ping' })).toHaveProperty('disabled', true);
    const tried = receiver.received.length;

    receiver.setDown(false);
    await userEvent.click(within(row).getByRole('button', { name: `Enable ${receiver.url} again` }));
    await waitFor(() => expect(receiver.accepted().map((h) => h.type)).toEqual(['ping']), { timeout: 20_000 });
    expect(receiver.accepted()[0]!.verified).toBe(true);
    expect(receiver.received.length).toBe(tried + 1);
    await refreshUntil(() => screen.queryByRole('alert', { name: 'Endpoints disabled after failing' }) === null, 'the notice to go');
    expect(within(screen.getByRole('list', { name: 'Webhook endpoints' })).getAllByRole('listitem')[0]!.textContent).not.toMatch(/Disabled/);
  }, 90_000);
});
