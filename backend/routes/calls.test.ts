import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentPresence, Call, CallsPage } from '../../shared/api.js';
import { callSid, createTestBackend, type TestBackend } from '../../test/support/backend/test-backend.js';

let t: TestBackend;
let alice: string;
let eve: string;
beforeAll(async () => {
  t = await createTestBackend();
  alice = await t.login('alice@acme.test');
  eve = await t.login('eve@globex.test');
});
afterAll(() => t.close());

const get = async <T>(path: string, token: string) => {
  const res = await t.app.request(path, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as T };
};

async function finish(callId: string, parent: string, status = 'completed') {
  await t.twilio(`/api/twilio/outbound-status?callId=${callId}`, { CallSid: parent, DialCallSid: callSid(), DialCallStatus: status, DialCallDuration: '7' });
}

describe('GET /api/calls and /api/agents', () => {
  it("shows only the agent's own organization's calls and teammates", async () => {
    const a = await t.placeCall(t.agents.alice, '+14155550140', { contactName: 'Acme lead' });
    const e = await t.placeCall(t.agents.eve, '+14155550141', { contactName: 'Globex lead' });
    const acme = await get<CallsPage>('/api/calls', alice);
    const globex = await get<CallsPage>('/api/calls', eve);
    expect(acme.body.calls.map((c: Call) => c.contactName)).toEqual(['Acme lead']);
    expect(globex.body.calls.map((c: Call) => c.contactName)).toEqual(['Globex lead']);

    const team = await get<{ agents: AgentPresence[] }>('/api/agents', alice);
    expect(team.body.agents.map((x) => x.email).sort()).toEqual(['alice@acme.test', 'bob@acme.test']);
    expect(team.body.agents.find((x) => x.id === t.agents.alice.id)).toMatchObject({
      status: 'on-call',
      currentCallId: a.callId,
      currentCallPhoneNumber: '+14155550140',
    });
    // Bob never signed in: offline, not available.
    expect(team.body.agents.find((x) => x.id === t.agents.bob.id)).toMatchObject({ status: 'offline', currentCallId: null });

    await finish(a.callId!, a.callSid);
    await finish(e.callId!, e.callSid);
    const after = await get<{ agents: AgentPresence[] }>('/api/agents', alice);
    expect(after.body.agents.find((x) => x.id === t.agents.alice.id)).toMatchObject({ status: 'available' });
  });

  it('pages through history newest first without gaps or repeats', async () => {
    const placed: string[] = [];
    for (let i = 0; i < 7; i++) {
      const c = await t.placeCall(t.agents.bob, `+1415555015${i}`);
      await finish(c.callId!, c.callSid);
      placed.push(c.callId!);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: CallsPage } = await get<CallsPage>(`/api/calls?limit=3${cursor ? `&cursor=${cursor}` : ''}`, alice);
      expect(page.status).toBe(200);
      expect(page.body.calls.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.calls.map((c) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.slice(0, 7)).toEqual([...placed].reverse());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(8); // Bob's seven and Alice's one.
  });

  it('refuses a cursor it did not give out', async () => {
    const res = await get<{ error: { code: string } }>('/api/calls?cursor=bm9wZQ', alice);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid-cursor');
  });

  it('refuses a limit out of range with a sentence', async () => {
    const res = await get<{ error: { message: string } }>('/api/calls?limit=5000', alice);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/limit/);
  });
});
