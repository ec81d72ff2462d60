// Calls to the organization's numbers: the signed Voice URL rings the available agents' softphones at once (<Dial>
// with one <Client> each, the caller's details as <Parameter>s), or takes a voicemail; every callback is in the ledger,
// and every order and duplication of the same callbacks ends in the same state (on PGlite and PostgreSQL 15).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentPresence } from '../../shared/api.js';
import { sqlDatabaseTargets } from '../../test/support/backend/database-targets.js';
import { callSid, createTestBackend, PUBLIC_BASE_URL, type TestBackend } from '../../test/support/backend/test-backend.js';
import { identityForAgent } from '../twilio/agent-identity.js';
import { INBOUND_RING_SECONDS, VOICEMAIL_MAX_SECONDS } from '../twilio/inbound-twiml.js';

const LINE = '+14155550800';
const CALLER = '+14155550177';
const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');

/** A small seeded generator, so a failing order can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
function shuffled<T>(items: T[], next: () => number): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

describe.each(sqlDatabaseTargets())('inbound calls on $name', (target) => {
  let t: TestBackend;
  let tokens: Record<'alice' | 'bob' | 'eve', string>;
  beforeAll(async () => {
    if (target.skip) return;
    t = await createTestBackend({}, { db: (await target.open()).db });
    await t.deps.store.addPhoneNumber({ organizationId: t.agents.alice.organizationId, e164: LINE, label: 'Main', isDefault: true, twilioSid: null });
    tokens = { alice: await t.login('alice@acme.test'), bob: await t.login('bob@acme.test'), eve: await t.login('eve@globex.test') };
    for (const who of ['alice', 'bob', 'eve'] as const) await register(who, true);
  });
  afterAll(() => t?.close());

  async function register(who: 'alice' | 'bob' | 'eve', registered: boolean) {
    const res = await t.app.request('/api/softphone/registration', {
      method: 'POST', headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' }, body: JSON.stringify({ registered }),
    });
    expect(res.status).toBe(200);
  }

  async function incoming(from = CALLER, to = LINE) {
    t.clock.advance(20_000);
    const sid = callSid();
    const response = await t.twilio('/api/twilio/inbound', {
      AccountSid: t.deps.creds.accountSid, CallSid: sid, From: from, To: to, Caller: from, Called: to, Direction: 'inbound', CallStatus: 'ringing', ApiVersion: '2010-04-01',
    });
    const twiml = await response.text();
    const call = await t.deps.store.findCallBySid(sid);
    return { response, twiml, sid, call };
  }

  const identities = (twiml: string) => [...twiml.matchAll(/<Identity>([^<]+)<\/Identity>/g)].map((m) => m[1]);
  const agentsOf = async (who: 'alice' | 'bob') => {
    const res = await t.app.request('/api/agents', { headers: { authorization: `Bearer ${tokens[who]}` } });
    return ((await res.json()) as { agents: AgentPresence[] }).agents;
  };

  const client = (callId: string, leg: string, agentId: string, status: string, seconds: number, extra: Record<string, string> = {}) => () =>
    t.twilio(`/api/twilio/inbound-client-events?callId=${callId}`, {
      AccountSid: t.deps.creds.accountSid, CallSid: leg, ParentCallSid: 'CA' + '0'.repeat(32), CallStatus: status, To: `client:${identityForAgent(agentId)}`,
      Timestamp: rfc2822(new Date(Date.UTC(2026, 10, 24, 12, 0, seconds))), Direction: 'outbound-dial', ...extra,
    });
  const dial = (callId: string, parent: string, status: string, duration?: number, dialSid = callSid()) => () =>
    t.twilio(`/api/twilio/inbound-dial?callId=${callId}`, {
      AccountSid: t.deps.creds.accountSid, CallSid: parent, DialCallSid: dialSid, DialCallStatus: status, ...(duration === undefined ? {} : { DialCallDuration: String(duration) }),
    });
  const parentStatus = (parent: string, status: string) => () =>
    t.twilio('/api/twilio/inbound-status', { AccountSid: t.deps.creds.accountSid, CallSid: parent, CallStatus: status, CallDuration: '61', Timestamp: rfc2822(new Date(Date.UTC(2026, 10, 24, 12, 1, 5))) });
  const recording = (callId: string, parent: string, rec: string) => () =>
    t.twilio(`/api/twilio/inbound-recording?callId=${callId}`, {
      AccountSid: t.deps.creds.accountSid, CallSid: parent, RecordingSid: rec, RecordingStatus: 'completed', RecordingDuration: '7',
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${t.deps.creds.accountSid}/Recordings/${rec}`,
    });
  const voicemailAction = (callId: string, parent: string, rec: string) => () =>
    t.twilio(`/api/twilio/inbound-voicemail?callId=${callId}`, { AccountSid: t.deps.creds.accountSid, CallSid: parent, RecordingSid: rec, RecordingDuration: '7' });

  describe.skipIf(target.skip)('the Voice URL', () => {
    it('is refused without a valid signature, and changes nothing', async () => {
      const before = await t.count('calls');
      const res = await t.twilio('/api/twilio/inbound', { AccountSid: t.deps.creds.accountSid, CallSid: callSid(), From: CALLER, To: LINE }, { signature: 'bm90IGEgc2lnbmF0dXJl' });
      expect(res.status).toBe(403);
      // Signed over the Host the request came to, not PUBLIC_BASE_URL: refused too.
      const form = { AccountSid: t.deps.creds.accountSid, CallSid: callSid(), From: CALLER, To: LINE };
      const hostSigned = await t.twilio('/api/twilio/inbound', form, { url: 'http://localhost/api/twilio/inbound' });
      expect(hostSigned.status).toBe(403);
      expect(await t.count('calls')).toBe(before);
    });

    it('answers a number that is no organization\'s with a sentence and records nothing', async () => {
      const before = await t.count('calls');
      const { response, twiml } = await incoming(CALLER, '+14155550899');
      expect(response.status).toBe(200);
      expect(twiml).toContain('not in service');
      expect(twiml).toContain('<Hangup/>');
      expect(await t.count('calls')).toBe(before);
    });

    it('rings every available agent of the organization at once, with the caller as parameters and a ring timeout', async () => {
      const { twiml, call } = await incoming();
      expect(call).toMatchObject({ direction: 'inbound', status: 'ringing', fromNumber: CALLER, toNumber: LINE, assignedTo: null, answeredBy: null });
      expect(identities(twiml).sort()).toEqual([identityForAgent(t.agents.alice.id), identityForAgent(t.agents.bob.id)].sort());
      expect(twiml).toContain(`<Dial action="${PUBLIC_BASE_URL}/twilio/inbound-dial?callId=${call!.id}#rc=3&amp;rp=all" method="POST" timeout="${INBOUND_RING_SECONDS}"`);
      expect(twiml).toContain(`<Parameter name="callId" value="${call!.id}"/>`);
      expect(twiml).toContain(`<Parameter name="callerNumber" value="${CALLER}"/>`);
      expect(twiml).toContain(`statusCallback="${PUBLIC_BASE_URL}/twilio/inbound-client-events?callId=${call!.id}#rc=3&amp;rp=all"`);
      await dial(call!.id, call!.twilioCallSid!, 'no-answer')();
    });

    it('rings nobody who chose Do not disturb, whose softphone is not registered, or who is on a call', async () => {
      await t.db.query(`update public.voip_users set presence = 'dnd' where id = $1`, [t.agents.alice.id]);
      try {
        expect(identities((await incoming()).twiml)).toEqual([identityForAgent(t.agents.bob.id)]);
        await register('bob', false);
        const nobody = await incoming();
        expect(identities(nobody.twiml)).toEqual([]);
        expect(nobody.twiml).toContain('<Record');
        await register('bob', true);
        const { callId } = await t.placeCall(t.agents.bob, '+14155550188');
        expect(identities((await incoming()).twiml)).toEqual([]);
        await t.twilio(`/api/twilio/outbound-status?callId=${callId}`, { AccountSid: t.deps.creds.accountSid, CallSid: callSid(), DialCallSid: callSid(), DialCallStatus: 'completed' });
      } finally {
        await t.db.query(`update public.voip_users set presence = 'available' where id = $1`, [t.agents.alice.id]);
      }
    });

    it('takes a bounded voicemail when nobody is available, and records the call as missed', async () => {
      await t.db.query(`update public.voip_users set presence = 'away' where organization_id = $1`, [t.agents.alice.organizationId]);
      try {
        const { twiml, call } = await incoming();
        expect(twiml).toMatch(/<Say>Sorry, nobody can take your call right now\. Please leave a message after the tone\.<\/Say><Record maxLength="120"/);
        expect(twiml).toContain(`recordingStatusCallback="${PUBLIC_BASE_URL}/twilio/inbound-recording?callId=${call!.id}#rc=3&amp;rp=all"`);
        expect(VOICEMAIL_MAX_SECONDS).toBe(120);
        expect(call).toMatchObject({ status: 'no-answer', errorCode: 'nobody-available', voicemail: null });
        const rec = 'RE' + 'a'.repeat(32);
        expect((await recording(call!.id, call!.twilioCallSid!, rec)()).status).toBe(204);
        expect((await voicemailAction(call!.id, call!.twilioCallSid!, rec)()).status).toBe(200);
        expect(await t.deps.store.getCall(call!.id)).toMatchObject({ status: 'no-answer', voicemail: { seconds: 7 } });
        // The recording streams only to the organization's agents.
        const eve = await t.app.request(`/api/calls/${call!.id}/recording`, { headers: { authorization: `Bearer ${tokens.eve}` } });
        expect(eve.status).toBe(404);
        expect((await t.app.request(`/api/calls/${call!.id}/recording`)).status).toBe(401);
      } finally {
        await t.db.query(`update public.voip_users set presence = 'available' where organization_id = $1`, [t.agents.alice.organizationId]);
      }
    });

    it('recognises a caller from the organization\'s previous calls: the contact name and page go with the ring', async () => {
      const { callId } = await t.placeCall(t.agents.alice, '+14155550166', { contactName: 'Grace Hall', pageUrl: 'https://crm.example.com/leads/7', pageTitle: 'Grace Hall — Leads' });
      await t.twilio(`/api/twilio/outbound-status?callId=${callId}`, { AccountSid: t.deps.creds.accountSid, CallSid: callSid(), DialCallSid: callSid(), DialCallStatus: 'completed' });
      const { twiml, call } = await incoming('+14155550166');
      expect(twiml).toContain('<Parameter name="contactName" value="Grace Hall"/>');
      expect(twiml).toContain('<Parameter name="pageUrl" value="https://crm.example.com/leads/7"/>');
      expect(twiml).toContain('<Parameter name="pageTitle" value="Grace Hall — Leads"/>');
      expect(call).toMatchObject({ contactName: 'Grace Hall', pageUrl: 'https://crm.example.com/leads/7' });
      // Another organization's calls to that number tell Globex nothing.
      await t.deps.store.addPhoneNumber({ organizationId: t.agents.eve.organizationId, e164: '+14155550801', label: '', isDefault: false, twilioSid: null });
      const globex = await incoming('+14155550166', '+14155550801');
      expect(globex.twiml).not.toContain('Grace Hall');
      await dial(call!.id, call!.twilioCallSid!, 'no-answer')();
      await dial(globex.call!.id, globex.call!.twilioCallSid!, 'no-answer')();
    });

    it('gives the call to the agent who answered: On a call (with the caller) for teammates, then completed with its duration', async () => {
      const { call } = await incoming();
      await client(call!.id, callSid(), t.agents.bob.id, 'ringing', 1)();
      await client(call!.id, callSid(), t.agents.bob.id, 'in-progress', 3)();
      expect(await t.deps.store.getCall(call!.id)).toMatchObject({ status: 'in-progress', answeredBy: t.agents.bob.id, assignedTo: t.agents.bob.id });
      // Teammates see whom Bob is talking to: the caller, not the team's own line.
      expect((await agentsOf('alice')).find((a) => a.id === t.agents.bob.id)).toMatchObject({ status: 'on-call', currentCallId: call!.id, currentCallPhoneNumber: CALLER });
      const next = await dial(call!.id, call!.twilioCallSid!, 'completed', 42)();
      expect(await next.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
      expect(await t.deps.store.getCall(call!.id)).toMatchObject({ status: 'completed', duration: 42, answeredBy: t.agents.bob.id });
      expect((await agentsOf('alice')).find((a) => a.id === t.agents.bob.id)).toMatchObject({ status: 'available' });
    });

    it('goes to voicemail when nobody answers or everyone declines', async () => {
      const { call } = await incoming();
      const res = await dial(call!.id, call!.twilioCallSid!, 'busy')();
      expect(await res.text()).toContain('<Record');
      expect(await t.deps.store.getCall(call!.id)).toMatchObject({ status: 'no-answer', answeredBy: null });
    });

    it('refuses an answer from an agent the call did not ring', async () => {
      const { call } = await incoming();
      await client(call!.id, callSid(), t.agents.eve.id, 'in-progress', 3)();
      expect(await t.deps.store.getCall(call!.id)).toMatchObject({ status: 'ringing', answeredBy: null });
      await dial(call!.id, call!.twilioCallSid!, 'no-answer')();
    });
  });

  describe.skipIf(target.skip)('every order of the callbacks, with duplicates', () => {
    const next = random(20261202);

    it('ends an answered call in the same state', async () => {
      const finals = new Set<string>();
      for (let round = 0; round < 12; round++) {
        const { call } = await incoming();
        const [a, b] = [callSid(), callSid()];
        const parent = call!.twilioCallSid!;
        const steps = [
          client(call!.id, a, t.agents.alice.id, 'ringing', 1),
          client(call!.id, b, t.agents.bob.id, 'ringing', 1),
          client(call!.id, b, t.agents.bob.id, 'in-progress', 4),
          client(call!.id, a, t.agents.alice.id, 'canceled', 4, { CallDuration: '0' }),
          client(call!.id, b, t.agents.bob.id, 'completed', 46, { CallDuration: '42' }),
          dial(call!.id, parent, 'completed', 42),
          parentStatus(parent, 'completed'),
        ];
        const order = shuffled([...steps, steps[2]!, steps[Math.floor(next() * steps.length)]!], next);
        for (const step of order) expect([200, 204]).toContain((await step()).status);
        const c = (await t.deps.store.getCall(call!.id))!;
        finals.add(JSON.stringify({ status: c.status, answeredBy: c.answeredBy, assignedTo: c.assignedTo, duration: c.duration, answeredAt: c.answeredAt, endedAt: c.endedAt !== null }));
      }
      expect([...finals].map((f) => JSON.parse(f))).toEqual([
        { status: 'completed', answeredBy: t.agents.bob.id, assignedTo: t.agents.bob.id, duration: 42, answeredAt: new Date(Date.UTC(2026, 10, 24, 12, 0, 4)).toISOString(), endedAt: true },
      ]);
    });

    it('ends a missed call with its voicemail in the same state', async () => {
      const finals = new Set<string>();
      for (let round = 0; round < 12; round++) {
        const { call } = await incoming();
        const parent = call!.twilioCallSid!;
        const [a, b] = [callSid(), callSid()];
        const rec = 'RE' + 'b'.repeat(32);
        const steps = [
          client(call!.id, a, t.agents.alice.id, 'ringing', 1),
          client(call!.id, b, t.agents.bob.id, 'ringing', 1),
          client(call!.id, a, t.agents.alice.id, 'no-answer', 21, { CallDuration: '0' }),
          client(call!.id, b, t.agents.bob.id, 'busy', 5, { CallDuration: '0' }),
          dial(call!.id, parent, 'no-answer'),
          recording(call!.id, parent, rec),
          voicemailAction(call!.id, parent, rec),
          parentStatus(parent, 'completed'),
        ];
        const order = shuffled([...steps, steps[5]!, steps[Math.floor(next() * steps.length)]!], next);
        for (const step of order) expect([200, 204]).toContain((await step()).status);
        const c = (await t.deps.store.getCall(call!.id))!;
        finals.add(JSON.stringify({ status: c.status, answeredBy: c.answeredBy, assignedTo: c.assignedTo, voicemail: c.voicemail, duration: c.duration }));
        const { rows } = await t.db.query<{ n: number }>('select count(*)::int as n from public.call_events where call_id = $1', [call!.id]);
        expect(rows[0]!.n).toBe(steps.length);
      }
      expect([...finals].map((f) => JSON.parse(f))).toEqual([{ status: 'no-answer', answeredBy: null, assignedTo: null, voicemail: { seconds: 7 }, duration: 0 }]);
    });
  });

  it('lets the agent who answered wrap the call up by their own leg\'s SID (what their softphone knows), and nobody else', async () => {
    const { call } = await incoming();
    const parent = call!.twilioCallSid!;
    const [aliceLeg, bobLeg] = [callSid(), callSid()];
    for (const step of [
      client(call!.id, aliceLeg, t.agents.alice.id, 'ringing', 1),
      client(call!.id, bobLeg, t.agents.bob.id, 'ringing', 1),
      client(call!.id, aliceLeg, t.agents.alice.id, 'in-progress', 4),
      client(call!.id, bobLeg, t.agents.bob.id, 'canceled', 4, { CallDuration: '0' }),
      client(call!.id, aliceLeg, t.agents.alice.id, 'completed', 40, { CallDuration: '36' }),
      dial(call!.id, parent, 'completed', 36, aliceLeg),
      parentStatus(parent, 'completed'),
    ]) expect([200, 204]).toContain((await step()).status);
    const outcomes = (await (await t.app.request('/api/wrapups/outcomes', { headers: { authorization: `Bearer ${tokens.alice}` } })).json()) as { outcomes: Array<{ id: string }> };
    const wrapUp = (who: 'alice' | 'bob', sid: string) =>
      t.app.request('/api/wrapups', {
        method: 'POST', headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ callSid: sid, outcomeId: outcomes.outcomes[0]!.id, notes: 'Asked for a quote.' }),
      });
    // The teammate whose leg was cancelled cannot wrap up a call they did not take, by either SID.
    expect((await wrapUp('bob', bobLeg)).status).toBe(403);
    expect((await wrapUp('bob', parent)).status).toBe(403);
    const saved = await wrapUp('alice', aliceLeg);
    expect(saved.status).toBe(201);
    expect(((await saved.json()) as { call: { id: string } }).call.id).toBe(call!.id);
  });
});
