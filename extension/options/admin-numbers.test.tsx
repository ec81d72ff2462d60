// @vitest-environment jsdom
// The admin section for the team's numbers, over the real backend (its own process, embedded database): an admin adds,
// makes default, removes and imports numbers; the backend's refusal is shown in its words; an agent sees no section.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startChildServer, type ChildServer } from '../../test/support/backend/child-process-server.js';
import { AdminNumbers } from './admin-numbers.js';

afterEach(cleanup);

const DEMO = { email: 'demo@example.com', password: 'demo-password-numbers' };

describe("the options page's phone numbers section", () => {
  let dataDir: string;
  let server: ChildServer;
  beforeAll(async () => {
    // The real backend in its own process (this test's DOM environment cannot host the embedded database), over real HTTP.
    dataDir = await mkdtemp(path.join(tmpdir(), 'c2c-admin-numbers-'));
    server = await startChildServer('backend/main.ts', { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_PASSWORD: DEMO.password });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  const signedIn = async () => {
    const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO) });
    const { accessToken } = (await res.json()) as { accessToken: string };
    return { getAuth: async () => ({ backendUrl: server.url, accessToken }) };
  };
  const kept = async () => {
    const { getAuth } = await signedIn();
    const res = await fetch(`${server.url}/api/phone-numbers`, { headers: { authorization: `Bearer ${(await getAuth()).accessToken}` } });
    return ((await res.json()) as { numbers: Array<{ e164: string; isDefault: boolean }> }).numbers.map((n) => [n.e164, n.isDefault]);
  };

  it('lets an admin add numbers (the first is the default), make another the default and remove one', async () => {
    render(<AdminNumbers {...await signedIn()} />);
    await screen.findByRole('heading', { name: 'Phone numbers (admins)' });
    const form = screen.getByRole('form', { name: 'Add a phone number' });
    await userEvent.type(within(form).getByLabelText('Number'), '(415) 555-0100');
    await userEvent.type(within(form).getByLabelText('Label'), 'Main line');
    await userEvent.click(within(form).getByRole('button', { name: 'Add number' }));
    const list = await screen.findByRole('list', { name: 'Phone numbers' });
    await within(list).findByText('+14155550100 · Main line · default');
    await userEvent.type(within(form).getByLabelText('Number'), '+12125550101');
    await userEvent.click(within(form).getByRole('button', { name: 'Add number' }));
    await within(list).findByText('+12125550101');
    await userEvent.click(screen.getByRole('button', { name: 'Make +12125550101 the default' }));
    await within(list).findByText('+12125550101 · default');
    await userEvent.click(screen.getByRole('button', { name: 'Remove +14155550100' }));
    await waitFor(() => expect(within(list).queryByText(/\+14155550100/)).toBeNull());
    // What the backend kept is what the section shows.
    expect(await kept()).toEqual([['+12125550101', true]]);
  }, 30_000);

  it("says in the backend's words why a number was refused, and that importing needs a Twilio account", async () => {
    render(<AdminNumbers {...await signedIn()} />);
    const form = await screen.findByRole('form', { name: 'Add a phone number' });
    await userEvent.type(within(form).getByLabelText('Number'), '555');
    await userEvent.click(within(form).getByRole('button', { name: 'Add number' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^555 is not a phone number/);
    await userEvent.click(screen.getByRole('button', { name: "Import the Twilio account's numbers" }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/Importing numbers needs a Twilio account/));
  }, 30_000);

  it('is not shown to an agent who is not an admin', async () => {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'backend/cli/set-agent-role.ts', '--org', 'Demo', '--email', DEMO.email, '--role', 'agent'], {
      env: { ...process.env, DATA_DIR: dataDir, SERVER_URL: server.url },
    });
    const auth = await signedIn();
    const { container } = render(<AdminNumbers {...auth} />);
    // The section asked, was refused, and drew nothing.
    await new Promise((r) => setTimeout(r, 500));
    expect(container.textContent).toBe('');
  }, 30_000);
});
