// Who may wrap up which call, on PGlite and PostgreSQL 15: only the call's agent writes the first wrap-up, only its
// author edits it, nobody reaches another organization's; admins manage outcomes; a required wrap-up holds the next call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call, CallOutcome, CallsPage, LiveEvent } from '../../shared/api.js';
import { WRAP_UP_REQUIRED_MESSAGE } from '../../shared/api.js';
import { ADMIN_CLI_ORGANIZATION_HEADER, ADMIN_CLI_TOKEN_HEADER } from '../admin/admin-cli-token.js';
import { sqlDatabaseTargets } from '../../test/support/backend/database-targets.js';
import { callSid, createTestBackend, type TestBackend } from '../../test/support/backend/test-backend.js';

describe.each(sqlDatabaseTargets())('wrap-ups on $name', (target) => {
  describe.skipIf(target.skip)('', () => {
    let t: TestBackend;
    const tokens: Record<'alice' | 'bob' | 'eve', string> = { alice: '', bob: '', eve: '' };
    let outcomes: CallOutcome[];
    let eveOutcomes: CallOutcome[];

    beforeAll(async () => {
      const { db } = await target.open({ max: 1 });
      t = await createTestBackend({}, { db });
      for (const who of ['alice', 'bob', 'eve'] as const) tokens[who] = await t.login(`${who}@${who === 'eve' ? 'globex' : 'acme'}.test`);
      await t.db.query(`update public.voip_users set role = 'admin' where id = $1`, [t.agents.alice.id]);
      outcomes = (await (await get('/api/wrapups/outcomes', 'alice')).json()).outcomes;
      eveOutcomes = (await (await get('/api/wrapups/outcomes', 'eve')).json()).outcomes;
    }, 60_000);
    afterAll(() => t?.close());

    const auth = (who: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[who]}` });
    const get = (path: string, who: keyof typeof tokens) => t.app.request(path, { headers: auth(who) });
    const post = (path: string, who: keyof typeof tokens | Record<string, string>, body: unknown) =>
      t.app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(typeof who === 'string' ? auth(who) : who) },
        body: JSON.stringify(body),
      });
    const outcome = (label: string) => outcomes.find((o) => o.label === label)!.id;

    async function endedCall(agent: 'alice' | 'bob', status = 'completed', to = '+14155550123') {
      const placed = await t.placeCall(t.agents[agent], to);
      await t.twilio(`/api/twilio/outbound-status?callId=${placed.callId}`, { CallSid: placed.callSid, DialCallSid: callSid(), DialCallStatus: status, DialCallDuration: '7' });
      return placed;
    }
    const wrapUpRow = async (callId: string) =>
      (await t.db.query<{ notes: string; written_by: string; outcome_label: string }>('select notes, written_by, outcome_label from public.call_wrapups where call_id = $1', [callId])).rows[0];

    it('offers the organization\'s outcomes, seeded with the usual seven, each organization its own', () => {
      expect(outcomes.map((o) => o.label)).toEqual(['Connected', 'Left voicemail', 'No answer', 'Busy', 'Wrong number', 'Not interested', 'Call back later']);
      expect(outcomes.find((o) => o.label === 'Busy')!.matchesStatuses).toEqual(['busy']);
      expect(eveOutcomes.map((o) => o.id)).not.toContain(outcomes[0]!.id);
    });

    it('lets only the call\'s agent write the first wrap-up, and only its author edit it', async () => {
      const { callId, callSid: sid } = await endedCall('alice');
      const bobFirst = await post('/api/wrapups', 'bob', { callId, outcomeId: outcome('Connected'), notes: 'Mine now' });
      expect(bobFirst.status).toBe(403);
      expect(await bobFirst.json()).toMatchObject({ error: { code: 'not-your-call', message: 'Only the agent who took this call can wrap it up.' } });
      expect(await wrapUpRow(callId!)).toBeUndefined();

      // The extension knows the call by its SID.
      const saved = await post('/api/wrapups', 'alice', { callSid: sid, outcomeId: outcome('Connected'), notes: 'Wants a quote\r\nfor 3 seats', followUpOn: '2026-12-24' });
      expect(saved.status).toBe(201);
      expect((await saved.json()).call).toMatchObject({ id: callId, wrapUp: { outcomeLabel: 'Connected', notes: 'Wants a quote\nfor 3 seats', followUpOn: '2026-12-24', writtenBy: t.agents.alice.id, writtenByName: 'Alice Archer' } });

      const bobEdit = await post('/api/wrapups', 'bob', { callId, outcomeId: outcome('Not interested'), notes: 'Overwritten' });
      expect(bobEdit.status).toBe(403);
      expect((await bobEdit.json()).error.code).toBe('not-the-author');
      expect(await wrapUpRow(callId!)).toMatchObject({ notes: 'Wants a quote\nfor 3 seats', written_by: t.agents.alice.id });

      const aliceEdit = await post('/api/wrapups', 'alice', { callId, outcomeId: outcome('Call back later'), notes: 'Call on Monday' });
      expect(aliceEdit.status).toBe(200);
      expect(await wrapUpRow(callId!)).toMatchObject({ notes: 'Call on Monday', outcome_label: 'Call back later' });
    });

    it('keeps another organization\'s calls and wrap-ups out of reach, and says nothing about them', async () => {
      const { callId } = await endedCall('alice');
      await post('/api/wrapups', 'alice', { callId, outcomeId: outcome('Busy'), notes: 'Acme only' });
      const eveWrite = await post('/api/wrapups', 'eve', { callId, outcomeId: eveOutcomes[0]!.id, notes: 'Globex was here' });
      expect(eveWrite.status).toBe(404);
      expect((await eveWrite.json()).error.code).toBe('no-such-call');
      expect(await wrapUpRow(callId!)).toMatchObject({ notes: 'Acme only' });
      const evePage = (await (await get('/api/calls', 'eve')).json()) as CallsPage;
      expect(evePage.calls.map((c) => c.id)).not.toContain(callId);
      // Nor may Acme's agent use Globex's outcomes.
      const { callId: other } = await endedCall('alice');
      const foreign = await post('/api/wrapups', 'alice', { callId: other, outcomeId: eveOutcomes[0]!.id });
      expect(foreign.status).toBe(400);
      expect((await foreign.json()).error.code).toBe('unknown-outcome');
    });

    it('waits for the call to end, and refuses bad input with a sentence', async () => {
      const open = await t.placeCall(t.agents.bob, '+14155550124');
      const early = await post('/api/wrapups', 'bob', { callId: open.callId, outcomeId: outcome('Connected') });
      expect(early.status).toBe(409);
      await t.twilio(`/api/twilio/outbound-status?callId=${open.callId}`, { CallSid: open.callSid, DialCallSid: callSid(), DialCallStatus: 'busy' });
      const long = await post('/api/wrapups', 'bob', { callId: open.callId, outcomeId: outcome('Busy'), notes: 'x'.repeat(2001) });
      expect((await long.json()).error.message).toBe('Notes can be at most 2000 characters long.');
      const badDay = await post('/api/wrapups', 'bob', { callId: open.callId, outcomeId: outcome('Busy'), followUpOn: '2026-02-30' });
      expect((await badDay.json()).error.message).toBe('The follow-up date must be a day that exists, such as 2026-12-24.');
      const both = await post('/api/wrapups', 'bob', { callId: open.callId, callSid: open.callSid, outcomeId: outcome('Busy') });
      expect(both.status).toBe(400);
      expect((await post('/api/wrapups', {}, { callId: open.callId, outcomeId: outcome('Busy') })).status).toBe(401);
    });

    it('shows each call\'s wrap-up in history and tells teammates at once', async () => {
      const { callId } = await endedCall('bob', 'no-answer');
      const events: LiveEvent[] = [];
      const stop = t.deps.live.subscribe(t.agents.alice.organizationId, (e) => events.push(e));
      await post('/api/wrapups', 'bob', { callId, outcomeId: outcome('No answer'), notes: 'Rang out' });
      stop();
      expect(events).toEqual([{ type: 'call', call: expect.objectContaining({ id: callId, wrapUp: expect.objectContaining({ notes: 'Rang out', writtenByName: 'Bob Baker' }) }) }]);
      const page = (await (await get('/api/calls', 'alice')).json()) as CallsPage;
      const row = page.calls.find((c: Call) => c.id === callId)!;
      expect(row.wrapUp).toMatchObject({ outcomeLabel: 'No answer', notes: 'Rang out', writtenBy: t.agents.bob.id });
      expect(page.calls.some((c) => c.wrapUp === null)).toBe(true);
    });

    it('lets agents read their organization\'s wrap-ups and nothing else under RLS, and write none directly', async () => {
      const { callId } = await endedCall('alice');
      await post('/api/wrapups', 'alice', { callId, outcomeId: outcome('Connected'), notes: 'RLS' });
      const as = async (agentId: string, sql: string, params: unknown[] = []) => {
        await t.db.exec('begin');
        try {
          await t.db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: agentId, role: 'authenticated' })]);
          await t.db.exec('set local role authenticated');
          return (await t.db.query(sql, params)).rows;
        } catch (error) {
          return error as Error;
        } finally {
          await t.db.exec('rollback');
        }
      };
      expect(await as(t.agents.bob.id, 'select notes from public.call_wrapups where call_id = $1', [callId])).toEqual([{ notes: 'RLS' }]);
      expect(await as(t.agents.eve.id, 'select notes from public.call_wrapups where call_id = $1', [callId])).toEqual([]);
      expect(await as(t.agents.eve.id, 'select label from public.call_outcomes where organization_id = $1', [t.agents.alice.organizationId])).toEqual([]);
      expect(await as(t.agents.bob.id, `update public.call_wrapups set notes = 'bob' where call_id = $1 returning notes`, [callId])).toMatchObject({ message: expect.stringMatching(/permission denied/) });
      expect(await as(t.agents.bob.id, `insert into public.call_outcomes (organization_id, label) values ($1, 'Mine')`, [t.agents.bob.organizationId])).toMatchObject({ message: expect.stringMatching(/permission denied/) });
      expect(await as(t.agents.bob.id, `select public.save_call_wrapup($1, $2, null, $3, 'x', null, now())`, [t.agents.bob.id, callId, outcome('Busy')])).toMatchObject({ message: expect.stringMatching(/permission denied/) });
      expect(await wrapUpRow(callId!)).toMatchObject({ notes: 'RLS' });
    });

    it('lets an admin manage outcomes and the setting, never an agent, never another organization\'s', async () => {
      // An answered call already pre-selects Connected: a second outcome cannot have it too.
      const taken = await post('/api/admin/outcomes', 'alice', { label: 'Demo booked', matchesStatuses: ['completed'] });
      expect(taken.status).toBe(409);
      expect((await taken.json()).error).toEqual({ code: 'status-taken', message: '“Connected” is already pre-selected for answered calls: take that result off “Connected” first.' });
      const added = await post('/api/admin/outcomes', 'alice', { label: 'Demo booked' });
      expect(added.status).toBe(201);
      const id = (await added.json()).outcome.id as string;
      expect((await post('/api/admin/outcomes', 'alice', { label: 'Demo booked' })).status).toBe(409);
      expect((await post('/api/admin/outcomes', 'bob', { label: 'Bob\'s own' })).status).toBe(403);
      expect((await post(`/api/admin/outcomes/${id}`, 'bob', { archived: true })).status).toBe(403);
      expect((await post('/api/admin/wrap-up-setting', 'bob', { wrapUpRequired: true })).status).toBe(403);
      // Eve's admin rights (by the command line for Globex) do not reach Acme's outcome.
      const globexCli = { [ADMIN_CLI_TOKEN_HEADER]: t.deps.adminCliToken!, [ADMIN_CLI_ORGANIZATION_HEADER]: 'Globex' };
      expect((await post(`/api/admin/outcomes/${id}`, globexCli, { label: 'Hijacked' })).status).toBe(404);

      const renamed = await post(`/api/admin/outcomes/${id}`, 'alice', { label: 'Demo scheduled' });
      expect((await renamed.json()).outcome).toMatchObject({ label: 'Demo scheduled', matchesStatuses: [], archived: false });
      expect(((await (await get('/api/wrapups/outcomes', 'bob')).json()).outcomes as CallOutcome[]).map((o) => o.label)).toContain('Demo scheduled');

      // An archived outcome is no longer offered nor accepted, but admins still see it.
      const { callId } = await endedCall('bob');
      await post(`/api/admin/outcomes/${id}`, 'alice', { archived: true });
      expect(((await (await get('/api/wrapups/outcomes', 'bob')).json()).outcomes as CallOutcome[]).map((o) => o.id)).not.toContain(id);
      expect(((await (await get('/api/admin/outcomes', 'alice')).json()).outcomes as CallOutcome[]).find((o) => o.id === id)).toMatchObject({ archived: true });
      expect((await (await post('/api/wrapups', 'bob', { callId, outcomeId: id })).json()).error.code).toBe('unknown-outcome');
    });

    it('lets an admin choose which call results pre-select an outcome, each result one outcome, checked by the backend', async () => {
      const busyId = outcome('Busy');
      const later = outcome('Call back later');
      const change = (id: string, body: unknown, who: Parameters<typeof post>[1] = 'alice') => post(`/api/admin/outcomes/${id}`, who, body);
      const refused = async (res: Response) => ({ status: res.status, ...((await res.json()) as { error: { code: string; message: string } }).error });

      expect(await refused(await change(busyId, { matchesStatuses: ['ringing'] }))).toEqual({
        status: 400, code: 'invalid-request', message: 'A call result that pre-selects an outcome is one of completed, busy, no-answer, failed, canceled.',
      });
      expect(await refused(await change(busyId, { matchesStatuses: ['busy', 'busy'] }))).toEqual({ status: 400, code: 'invalid-request', message: 'Give each call result once.' });
      expect((await change(busyId, { matchesStatuses: 'busy' })).status).toBe(400);
      expect((await change(busyId, { matchesStatuses: [] }, 'bob')).status).toBe(403);
      const globexCli = { [ADMIN_CLI_TOKEN_HEADER]: t.deps.adminCliToken!, [ADMIN_CLI_ORGANIZATION_HEADER]: 'Globex' };
      expect((await change(busyId, { matchesStatuses: [] }, globexCli)).status).toBe(404);

      // Busy calls move from Busy to Call back later: refused while Busy has them, then taken off Busy first.
      expect(await refused(await change(later, { matchesStatuses: ['busy'] }))).toEqual({
        status: 409, code: 'status-taken', message: '“Busy” is already pre-selected for busy calls: take that result off “Busy” first.',
      });
      expect((await (await change(busyId, { matchesStatuses: [] })).json()).outcome).toMatchObject({ label: 'Busy', matchesStatuses: [] });
      expect((await (await change(later, { matchesStatuses: ['busy'] })).json()).outcome).toMatchObject({ label: 'Call back later', matchesStatuses: ['busy'] });
      // Agents' extensions pre-select from what the admin chose.
      const seen = ((await (await get('/api/wrapups/outcomes', 'bob')).json()).outcomes as CallOutcome[]).filter((o) => o.matchesStatuses.includes('busy'));
      expect(seen.map((o) => o.label)).toEqual(['Call back later']);
      // Eve's organization keeps its own.
      expect(((await (await get('/api/wrapups/outcomes', 'eve')).json()).outcomes as CallOutcome[]).find((o) => o.label === 'Busy')!.matchesStatuses).toEqual(['busy']);

      await change(later, { matchesStatuses: [] });
      expect((await change(busyId, { matchesStatuses: ['busy'] })).status).toBe(200);
    });

    it('holds the next call of an agent whose last call has no wrap-up, when the organization requires it', async () => {
      const { callId } = await endedCall('bob');
      // Not required: the next call goes out.
      const free = await t.placeCall(t.agents.bob, '+14155550125');
      expect(free.twiml).toContain('<Dial');
      await t.twilio(`/api/twilio/outbound-status?callId=${free.callId}`, { CallSid: free.callSid, DialCallSid: callSid(), DialCallStatus: 'completed' });

      const set = await post('/api/admin/wrap-up-setting', 'alice', { wrapUpRequired: true });
      expect(await set.json()).toEqual({ wrapUpRequired: true });
      expect(await (await get('/api/wrapups/pending', 'bob')).json()).toMatchObject({ required: true, call: { id: free.callId } });
      const held = await t.placeCall(t.agents.bob, '+14155550126');
      expect(held.twiml).toContain(WRAP_UP_REQUIRED_MESSAGE);
      expect(held.twiml).not.toContain('<Dial');
      // The refused call asks for no wrap-up of its own: wrapping up the last real call frees the next one.
      await post('/api/wrapups', 'bob', { callId: free.callId, outcomeId: outcome('Connected') });
      expect(await (await get('/api/wrapups/pending', 'bob')).json()).toEqual({ required: true, call: null });
      const next = await t.placeCall(t.agents.bob, '+14155550127');
      expect(next.twiml).toContain('<Dial');
      await t.twilio(`/api/twilio/outbound-status?callId=${next.callId}`, { CallSid: next.callSid, DialCallSid: callSid(), DialCallStatus: 'completed' });
      // Alice's calls are hers: Bob's missing wrap-up does not hold her.
      expect(await (await get('/api/wrapups/pending', 'alice')).json()).toMatchObject({ required: true });
      expect(callId).toBeTruthy();
      await post('/api/admin/wrap-up-setting', 'alice', { wrapUpRequired: false });
      expect(await (await get('/api/wrapups/pending', 'bob')).json()).toEqual({ required: false, call: null });
    });

    it('exports the organization\'s calls as CSV with filters, and no cell a spreadsheet would run', async () => {
      const { callId } = await endedCall('alice', 'completed', '+14155550128');
      await t.db.query(`update public.calls set page_title = '=HYPERLINK("https://evil.test","x")', contact_name = '@SUM(1)' where id = $1`, [callId]);
      await post('/api/wrapups', 'alice', { callId, outcomeId: outcome('Not interested'), notes: '-2+3, "quoted"\nsecond line' });
      const res = await get(`/api/calls/export?outcome=${outcome('Not interested')}&agent=${t.agents.alice.id}`, 'bob');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="calls-\d{4}-\d{2}-\d{2}\.csv"$/);
      const csv = await res.text();
      const lines = csv.split('\r\n');
      expect(lines[0]).toBe('call_id,created_at,direction,status,agent,from_number,to_number,contact_name,page_title,page_url,answered_at,ended_at,duration_seconds,outcome,notes,follow_up_on,wrapped_up_by,wrapped_up_at,error');
      expect(csv).toContain(callId!);
      expect(csv).toContain(`'@SUM(1),"'=HYPERLINK(""https://evil.test"",""x"")"`);
      expect(csv).toContain(`"'-2+3, ""quoted""\nsecond line"`);
      expect(csv).toContain(`'+14155550128`);
      expect(csv).not.toMatch(/,[=+\-@]/);

      // Other organizations get their own calls only; a day range with no calls gives the header alone.
      const eve = await (await get('/api/calls/export', 'eve')).text();
      expect(eve).not.toContain(callId!);
      const none = await (await get('/api/calls/export?from=2020-01-01&to=2020-01-02', 'alice')).text();
      expect(none.trim().split('\r\n')).toHaveLength(1);
      const day = (await t.db.query<{ d: string }>(`select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as d from public.calls where id = $1`, [callId])).rows[0]!.d;
      expect(await (await get(`/api/calls/export?from=${day}&to=${day}`, 'alice')).text()).toContain(callId!);
      expect((await get('/api/calls/export?from=yesterday', 'alice')).status).toBe(400);
      expect((await t.app.request('/api/calls/export')).status).toBe(401);
    });
  });
});
