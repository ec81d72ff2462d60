// Signing out shows the agent Offline to teammates at once (not after the 150 s without a request), over real HTTP: the
// teammate's list says so and their live stream gets the change; a refresh token that no longer signs anyone in changes nothing.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentPresence, LiveEvent } from '../../shared/api.js';
import { createTestBackend, PASSWORD, type TestBackend } from '../../test/support/backend/test-backend.js';

let t: TestBackend;
let server: ServerType;
let base: string;
beforeAll(async () => {
  t = await createTestBackend();
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: (req) => t.app.fetch(req), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await t.close();
});

async function login(email: string): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  expect(res.status).toBe(200);
  return (await res.json()) as { accessToken: string; refreshToken: string };
}
const logout = (refreshToken: string) => fetch(`${base}/api/auth/logout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) });
const team = async (token: string) => ((await (await fetch(`${base}/api/agents`, { headers: { authorization: `Bearer ${token}` } })).json()) as { agents: AgentPresence[] }).agents;

/** The teammate's live stream, read until a presence event for `agentId` says `status` (or 3 s pass). */
async function presenceSeen(token: string, agentId: string, status: string, act: () => Promise<void>): Promise<LiveEvent | null> {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  const reader = res.body!.getReader();
  let buffer = '';
  let found: LiveEvent | null = null;
  await act();
  const deadline = Date.now() + 3000;
  try {
    while (!found && Date.now() < deadline) {
      const timeout = new Promise<{ value: undefined; done: true }>((r) => setTimeout(() => r({ value: undefined, done: true }), Math.max(1, deadline - Date.now())));
      const { value, done } = await Promise.race([reader.read(), timeout]);
      if (done) break;
      buffer += new TextDecoder().decode(value);
      for (let i = buffer.indexOf('\n\n'); i >= 0 && !found; i = buffer.indexOf('\n\n')) {
        const data = buffer.slice(0, i).split('\n').find((l) => l.startsWith('data:'));
        buffer = buffer.slice(i + 2);
        const event = data ? (JSON.parse(data.slice(5)) as LiveEvent) : null;
        if (event?.type === 'presence' && event.agent.id === agentId && event.agent.status === status) found = event;
      }
    }
  } finally {
    controller.abort();
    await reader.cancel().catch(() => undefined);
  }
  return found;
}

describe('signing out', () => {
  it("shows the agent Offline to a teammate at once, in the list and on the teammate's live stream", async () => {
    const alice = await login('alice@acme.test');
    const bob = await login('bob@acme.test');
    // Alice uses the backend (the popup's first requests): she is online.
    await team(alice.accessToken);
    expect((await team(bob.accessToken)).find((a) => a.id === t.agents.alice.id)).toMatchObject({ status: 'available', online: true });

    const event = await presenceSeen(bob.accessToken, t.agents.alice.id, 'offline', async () => {
      expect((await logout(alice.refreshToken)).status).toBe(204);
    });
    expect(event).toMatchObject({ type: 'presence', agent: { id: t.agents.alice.id, status: 'offline', online: false } });
    // No time has passed on the backend's clock: Offline comes from the sign-out, not from 150 s of silence.
    expect((await team(bob.accessToken)).find((a) => a.id === t.agents.alice.id)).toMatchObject({ status: 'offline', online: false });

    // Signed in again: Available again for the teammate.
    const again = await login('alice@acme.test');
    await team(again.accessToken);
    expect((await team(bob.accessToken)).find((a) => a.id === t.agents.alice.id)).toMatchObject({ status: 'available', online: true });
  });

  it('a refresh token already signed out, or unknown, changes nobody', async () => {
    const alice = await login('alice@acme.test');
    const bob = await login('bob@acme.test');
    const first = await login('bob@acme.test');
    await team(alice.accessToken);
    expect((await logout(first.refreshToken)).status).toBe(204);
    // Bob's other session is still signed in; the same token sent again must not mark him offline once he is back.
    await team(bob.accessToken);
    expect((await logout(first.refreshToken)).status).toBe(204);
    expect((await logout('x'.repeat(40))).status).toBe(204);
    expect((await team(alice.accessToken)).find((a) => a.id === t.agents.bob.id)).toMatchObject({ status: 'available', online: true });
  });
});
