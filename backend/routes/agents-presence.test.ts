// Presence over HTTP: the agent chooses Available/Away/Do not disturb (validated), never-seen teammates are Offline,
// teammates get each change on their live stream, and a Do-not-disturb agent still places calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentPresence, LiveEvent } from '../../shared/api.js';
import { createTestBackend, type TestBackend } from '../../test/support/backend/test-backend.js';

let t: TestBackend;
let alice: string;
let bob: string;
let eve: string;
beforeAll(async () => {
  t = await createTestBackend();
  alice = await t.login('alice@acme.test');
  eve = await t.login('eve@globex.test');
});
afterAll(() => t.close());

const put = (token: string, body: unknown) =>
  t.app.request('/api/agents/me/presence', { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const team = async (token: string) =>
  ((await (await t.app.request('/api/agents', { headers: { authorization: `Bearer ${token}` } })).json()) as { agents: AgentPresence[] }).agents;

/** Reads the live stream's events until `until` says enough. */
async function readEvents(token: string, until: (events: LiveEvent[]) => boolean, act: () => Promise<void>): Promise<LiveEvent[]> {
  const controller = new AbortController();
  const res = await t.app.request('/api/events', { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  const reader = res.body!.getReader();
  const events: LiveEvent[] = [];
  let buffer = '';
  await act();
  const deadline = Date.now() + 1500;
  while (!until(events) && Date.now() < deadline) {
    const timeout = new Promise<{ value: undefined; done: true }>((r) => setTimeout(() => r({ value: undefined, done: true }), Math.max(1, deadline - Date.now())));
    const { value, done } = await Promise.race([reader.read(), timeout]);
    if (done) break;
    buffer += new TextDecoder().decode(value);
    for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
      const data = buffer.slice(0, i).split('\n').find((l) => l.startsWith('data:'));
      buffer = buffer.slice(i + 2);
      if (data) events.push(JSON.parse(data.slice(5)) as LiveEvent);
    }
  }
  controller.abort();
  await reader.cancel().catch(() => undefined);
  return events;
}

describe('presence', () => {
  it('shows a teammate who never signed in as Offline, not Available', async () => {
    const agents = await team(alice);
    expect(agents.find((a) => a.id === t.agents.bob.id)).toMatchObject({ status: 'offline', online: false });
    expect(agents.find((a) => a.id === t.agents.alice.id)).toMatchObject({ status: 'available', online: true });
  });

  it('refuses what is not a presence, and a request without a token', async () => {
    for (const body of [{ presence: 'offline' }, { presence: 'on-call' }, { presence: 'AVAILABLE' }, {}, { presence: 1 }]) {
      const res = await put(alice, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid-presence');
    }
    const res = await t.app.request('/api/agents/me/presence', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"presence":"away"}' });
    expect(res.status).toBe(401);
  });

  it("a teammate's live stream gets the change; another organization's does not", async () => {
    bob = await t.login('bob@acme.test');
    const seenByBob = await readEvents(bob, (e) => e.some((x) => x.type === 'presence' && x.agent.status === 'away'), async () => {
      const res = await put(alice, { presence: 'away' });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { agent: AgentPresence }).agent).toMatchObject({ id: t.agents.alice.id, status: 'away', chosenPresence: 'away' });
    });
    expect(seenByBob.find((e) => e.type === 'presence' && e.agent.id === t.agents.alice.id)).toMatchObject({ agent: { status: 'away' } });
    const seenByEve = await readEvents(eve, () => false, async () => {
      await put(alice, { presence: 'available' });
    }).catch(() => []);
    expect(seenByEve.filter((e) => e.type === 'presence' && e.agent.id === t.agents.alice.id)).toEqual([]);
    expect((await team(eve)).some((a) => a.id === t.agents.alice.id)).toBe(false);
  });

  it('a Do-not-disturb agent still places their own call, and shows On a call during it', async () => {
    expect((await put(alice, { presence: 'dnd' })).status).toBe(200);
    const call = await t.placeCall(t.agents.alice, '+14155550177');
    expect(call.twiml).toContain('<Dial');
    expect((await team(bob)).find((a) => a.id === t.agents.alice.id)).toMatchObject({ status: 'on-call', chosenPresence: 'dnd' });
  });
});
