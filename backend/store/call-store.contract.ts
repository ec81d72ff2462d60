// The CallStore contract: one suite that every adapter (SQL over PGlite or PostgreSQL, Supabase rpc) must pass.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Call } from '../../shared/api.js';
import type { CallEventRecord, CallStore, OutboundCallRequest, StoredAgent } from './call-store.js';

export interface StoreFixture {
  store: CallStore;
  /** Inserts an auth user straight into the database (as Supabase Auth would) and returns its id. */
  createUser(email: string): Promise<string>;
  close(): Promise<void>;
}

const sid = () => `CA${randomBytes(16).toString('hex')}`;
const T0 = new Date('2026-11-24T12:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/** Registers the contract's tests in the current describe block; `open` gives a fresh fixture. */
export function callStoreContract(open: () => Promise<StoreFixture>): void {
  let f: StoreFixture;
  beforeAll(async () => {
    f = await open();
  });
  afterAll(() => f?.close());

  async function organization(name = 'Org'): Promise<{ a: StoredAgent; b: StoredAgent; org: string }> {
    const org = `${name} ${randomBytes(4).toString('hex')}`;
    const tag = randomBytes(4).toString('hex');
    const a = await f.store.upsertAgent({ userId: await f.createUser(`ann-${tag}@x.test`), email: `ann-${tag}@x.test`, displayName: 'Ann Ångström', organizationName: org });
    const b = await f.store.upsertAgent({ userId: await f.createUser(`bo-${tag}@x.test`), email: `bo-${tag}@x.test`, displayName: 'Bo "Quotes" O\'Neil', organizationName: org });
    return { a, b, org };
  }

  /** A call as the Voice URL stores it (placeOutboundCall), without the agent's rate limit in the way. */
  async function newCall(agent: StoredAgent, overrides: Partial<OutboundCallRequest> = {}): Promise<{ created: boolean; call: Call }> {
    const result = await f.store.placeOutboundCall(request(agent, { rateLimit: { calls: 1_000_000, since: new Date(0) }, ...overrides }));
    if (!result.found) throw new Error(`No agent ${agent.id}`);
    return { created: result.created, call: result.call };
  }

  function event(callId: string, status: CallEventRecord['status'], seconds: number, overrides: Partial<CallEventRecord> = {}): CallEventRecord {
    return {
      callId, callSid: sid(), dialCallSid: null, sequenceNumber: null, source: 'call-progress-events', status, occurredAt: at(seconds),
      duration: null, errorCode: null, errorMessage: null, payload: { CallStatus: status, Note: 'ünïcødé "quoted" \\ back' },
      idempotencyKey: `${callId}:${status}:${seconds}`, ...overrides,
    };
  }

  it('creates an agent and its organization, reuses the organization by name, and finds the agent by id', async () => {
    const { a, b, org } = await organization('Acme');
    expect(a).toMatchObject({ email: expect.stringMatching(/^ann-/), displayName: 'Ann Ångström', organizationName: org });
    expect(b.organizationId).toBe(a.organizationId);
    expect(await f.store.getAgent(a.id)).toEqual(a);
    expect(await f.store.getAgent(randomUUID())).toBeNull();
    const renamed = await f.store.upsertAgent({ userId: a.id, email: a.email, displayName: 'Ann A.', organizationName: org });
    expect(renamed).toEqual({ ...a, displayName: 'Ann A.' });
  });

  it('applies call events forward only, ignores a repeated one, and keeps the answer time, end time and duration', async () => {
    const { a } = await organization();
    const { call } = await newCall(a);
    const ringing = await f.store.recordCallEvent(event(call.id, 'ringing', 2, { sequenceNumber: 1 }));
    expect(ringing).toMatchObject({ found: true, duplicate: false, changed: true, previousStatus: 'initiated', organizationId: a.organizationId, call: { status: 'ringing' } });
    await f.store.recordCallEvent(event(call.id, 'in-progress', 5, { sequenceNumber: 2 }));
    const late = await f.store.recordCallEvent(event(call.id, 'ringing', 3, { idempotencyKey: 'late-ringing' }));
    expect(late).toMatchObject({ found: true, duplicate: false, changed: false, previousStatus: 'in-progress', call: { status: 'in-progress', answeredAt: at(5).toISOString() } });
    const dialSid = sid();
    const done = await f.store.recordCallEvent(event(call.id, 'completed', 65, { source: 'dial-action', duration: 60, dialCallSid: dialSid }));
    expect(done).toMatchObject({ found: true, changed: true, previousStatus: 'in-progress' });
    if (!done.found) throw new Error('unreachable');
    expect(done.call).toMatchObject({ status: 'completed', answeredAt: at(5).toISOString(), endedAt: at(65).toISOString(), duration: 60, dialCallSid: dialSid });
    const again = await f.store.recordCallEvent(event(call.id, 'completed', 65, { source: 'dial-action', duration: 60, dialCallSid: dialSid }));
    expect(again).toEqual({ ...done, duplicate: true, changed: false, previousStatus: 'completed' });
    const afterEnd = await f.store.recordCallEvent(event(call.id, 'failed', 70));
    expect(afterEnd).toMatchObject({ duplicate: false, previousStatus: 'completed', call: { status: 'completed', endedAt: at(70).toISOString() } });
  });

  it('keeps the first error reason of a failed call', async () => {
    const { a } = await organization();
    const { call } = await newCall(a);
    const failed = await f.store.recordCallEvent(event(call.id, 'failed', 1, { errorCode: '13224', errorMessage: 'Invalid number' }));
    expect(failed).toMatchObject({ call: { status: 'failed', errorCode: '13224', errorMessage: 'Invalid number', endedAt: at(1).toISOString() } });
  });

  it('reports an event for an unknown call as not found', async () => {
    expect(await f.store.recordCallEvent(event(randomUUID(), 'ringing', 1))).toEqual({ found: false });
  });

  it("lists an organization's calls newest first, page by page, and never another organization's", async () => {
    const { a, b } = await organization();
    const other = await organization();
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await newCall(i % 2 ? b : a, { createdAt: at(i * 10), contactName: `c${i}` })).call);
    await newCall(other.a, { createdAt: at(100) });
    const page1 = await f.store.listCalls(a.organizationId, 3, null);
    expect(page1.calls.map((c) => c.contactName)).toEqual(['c4', 'c3', 'c2']);
    expect(page1.calls[1]).toMatchObject({ agentName: b.displayName, assignedTo: b.id });
    const last = page1.calls[2]!;
    const page2 = await f.store.listCalls(a.organizationId, 3, { createdAt: page1.rawCreatedAt[2]!, id: last.id });
    expect(page2.calls.map((c) => c.contactName)).toEqual(['c1', 'c0']);
    expect(new Date(page2.rawCreatedAt[0]!).toISOString()).toBe(made[1]!.createdAt);
  });

  it('derives presence from open calls: on a call until it ends, then available', async () => {
    const { a, b } = await organization();
    await f.store.noteAgentSeen(a.id, new Date());
    await f.store.noteAgentSeen(b.id, new Date());
    const { call } = await newCall(a, { toNumber: '+14155550123' });
    const during = await f.store.listAgentPresence(a.organizationId);
    const seen = { chosenPresence: 'available', online: true };
    expect(during).toEqual(
      expect.arrayContaining([
        { id: a.id, displayName: a.displayName, email: a.email, status: 'on-call', currentCallId: call.id, currentCallPhoneNumber: '+14155550123', ...seen },
        { id: b.id, displayName: b.displayName, email: b.email, status: 'available', currentCallId: null, currentCallPhoneNumber: null, ...seen },
      ]),
    );
    expect(during).toHaveLength(2);
    if (f.store.getAgentPresence) {
      expect(await f.store.getAgentPresence(a.id)).toEqual(during.find((p) => p.id === a.id));
      expect(await f.store.getAgentPresence(randomUUID())).toBeNull();
    }
    await f.store.recordCallEvent(event(call.id, 'busy', 4));
    expect((await f.store.listAgentPresence(a.organizationId)).find((p) => p.id === a.id)).toMatchObject({ status: 'available', currentCallId: null });
  });

  it('presence: offline until seen, the chosen presence while seen, on a call above both, offline again when gone or not seen for 150 s', async () => {
    const { a, b } = await organization();
    const statusOf = async (id: string) => (await f.store.listAgentPresence(a.organizationId)).find((p) => p.id === id);
    expect(await statusOf(a.id)).toMatchObject({ status: 'offline', chosenPresence: 'available', online: false });
    expect(await f.store.noteAgentSeen(a.id)).toBe(true);
    expect(await f.store.noteAgentSeen(a.id)).toBe(false);
    expect(await statusOf(a.id)).toMatchObject({ status: 'available', online: true });
    expect(await f.store.setAgentPresence(a.id, 'dnd')).toMatchObject({ id: a.id, status: 'dnd', chosenPresence: 'dnd' });
    expect(await f.store.setAgentPresence(randomUUID(), 'away', new Date())).toBeNull();
    const { call } = await newCall(a);
    expect(await statusOf(a.id)).toMatchObject({ status: 'on-call', chosenPresence: 'dnd' });
    await f.store.recordCallEvent(event(call.id, 'completed', 5, { duration: 3 }));
    expect(await statusOf(a.id)).toMatchObject({ status: 'dnd' });
    // Choosing a presence is being seen; a last sighting over two and a half minutes ago is offline.
    expect(await f.store.setAgentPresence(b.id, 'away', new Date(Date.now() - 200_000))).toMatchObject({ status: 'offline', chosenPresence: 'away', online: false });
    expect(await f.store.noteAgentSeen(b.id, new Date())).toBe(true);
    expect(await statusOf(b.id)).toMatchObject({ status: 'away' });
    await f.store.noteAgentGone(b.id);
    expect(await statusOf(b.id)).toMatchObject({ status: 'offline', chosenPresence: 'away' });
  });

  it('refuses a second open call of an agent as agent-busy, and allows one once the first has ended', async () => {
    const { a } = await organization();
    const early = (await newCall(a, { createdAt: at(-600) })).call;
    await f.store.recordCallEvent(event(early.id, 'completed', -500, { duration: 90 }));
    const { call } = await newCall(a, { createdAt: at(0) });
    const second = await newCall(a, { createdAt: at(10) });
    expect(second).toMatchObject({ created: true, call: { status: 'failed', errorCode: 'agent-busy', endedAt: at(10).toISOString() } });
    await f.store.recordCallEvent(event(call.id, 'completed', 30, { duration: 20 }));
    expect(await newCall(a, { createdAt: at(40) })).toMatchObject({ created: true, call: { status: 'initiated' } });
  });

  it('lists open calls older than a bound, oldest first, for the reconciler', async () => {
    const one = await organization();
    const two = await organization();
    const far = new Date('2001-01-01T00:00:00.000Z');
    const old1 = (await newCall(one.a, { createdAt: far })).call;
    const old2 = (await newCall(one.b, { createdAt: new Date(far.getTime() + 1000) })).call;
    const ended = (await newCall(two.a, { createdAt: far })).call;
    await f.store.recordCallEvent(event(ended.id, 'canceled', 1));
    await newCall(two.b, { createdAt: T0 });
    const stale = await f.store.listStaleCalls(new Date('2001-01-02T00:00:00.000Z'), 10);
    expect(stale.map((c) => c.id)).toEqual([old1.id, old2.id]);
    expect(await f.store.listStaleCalls(new Date('2001-01-02T00:00:00.000Z'), 1)).toHaveLength(1);
  });

  function request(agent: { id: string }, overrides: Partial<OutboundCallRequest> = {}): OutboundCallRequest {
    return {
      agentId: agent.id, twilioCallSid: sid(), fromNumber: '+15005550006', toNumber: '+14155550100', contactName: 'Zoë — “lead”',
      pageUrl: 'https://crm.example/contacts/1?q=a&b=c', pageTitle: 'Contact', refusal: null,
      rateLimit: { calls: 3, since: at(-300) }, limitMessages: { agentBusy: 'Busy — “hang up”.', rateLimited: 'Too many: wait.' },
      createdAt: T0, ...overrides,
    };
  }

  it('places a Voice URL call in one step: unknown agent, the retry, the refused number, agent-busy and the rate limit', async () => {
    const { a, b } = await organization();
    const before = await f.store.listCalls(a.organizationId, 50, null);
    expect(await f.store.placeOutboundCall(request({ id: randomUUID() }))).toEqual({ found: false });
    expect((await f.store.listCalls(a.organizationId, 50, null)).calls).toHaveLength(before.calls.length);

    const input = request(a);
    const first = await f.store.placeOutboundCall(input);
    expect(first).toEqual({
      found: true, created: true, organizationId: a.organizationId,
      call: {
        id: expect.any(String), direction: 'outbound', status: 'initiated', fromNumber: '+15005550006', toNumber: '+14155550100',
        contactName: 'Zoë — “lead”', assignedTo: a.id, agentName: 'Ann Ångström', twilioCallSid: input.twilioCallSid, dialCallSid: null,
        pageUrl: 'https://crm.example/contacts/1?q=a&b=c', pageTitle: 'Contact', createdAt: T0.toISOString(), answeredAt: null, endedAt: null,
        duration: null, errorCode: null, errorMessage: null, extension: null,
      },
    });
    if (!first.found) throw new Error('unreachable');
    expect(await f.store.getCall(first.call.id)).toEqual(first.call);
    expect(await f.store.getCall(randomUUID())).toBeNull();
    // A retried Voice URL request: the same call, nothing new, even though the agent is now busy.
    expect(await f.store.placeOutboundCall({ ...input, contactName: 'other', createdAt: at(5) })).toEqual({ ...first, created: false });

    const busy = await f.store.placeOutboundCall(request(a, { createdAt: at(10) }));
    expect(busy).toMatchObject({ found: true, created: true, call: { status: 'failed', errorCode: 'agent-busy', errorMessage: 'Busy — “hang up”.', endedAt: at(10).toISOString() } });
    await f.store.recordCallEvent(event(first.call.id, 'completed', 20, { duration: 10 }));

    // The backend's refusal is stored as it is, without looking at the agent's limits.
    const refused = await f.store.placeOutboundCall(request(a, { toNumber: '+19005550100', refusal: { code: 'premium-number', message: 'Premium.' }, createdAt: at(30) }));
    expect(refused).toMatchObject({ found: true, created: true, call: { status: 'failed', errorCode: 'premium-number', errorMessage: 'Premium.', endedAt: at(30).toISOString() } });

    // Three calls since at(-300) (the refused ones count): the fourth is rate-limited; another agent is not.
    const limited = await f.store.placeOutboundCall(request(a, { createdAt: at(40) }));
    expect(limited).toMatchObject({ found: true, created: true, call: { status: 'failed', errorCode: 'rate-limited', errorMessage: 'Too many: wait.' } });
    expect(await f.store.placeOutboundCall(request(a, { createdAt: at(50), rateLimit: { calls: 3, since: at(35) } }))).toMatchObject({ call: { status: 'initiated' } });
    expect(await f.store.placeOutboundCall(request(b, { createdAt: at(40) }))).toMatchObject({ found: true, created: true, call: { status: 'initiated', agentName: b.displayName } });
  });

  it('places simultaneous calls of one agent one at a time: one dialled, the others refused', async () => {
    const { a } = await organization();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => f.store.placeOutboundCall(request(a, { createdAt: at(i), rateLimit: { calls: 100, since: at(-300) } }))));
    const statuses = results.map((r) => (r.found ? r.call.status : 'unknown'));
    expect(statuses.filter((x) => x === 'initiated')).toHaveLength(1);
    expect(results.filter((r) => r.found && r.call.errorCode === 'agent-busy')).toHaveLength(5);
  });
}
