// Malformed and hostile requests to every route: each gets a 4xx with a sentence, nothing is written, the server stays healthy.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { cleanText } from '../http/free-text.js';
import { silentLogger } from '../logger.js';
import { simRoutes } from '../sim/sim-routes.js';
import { createTwilioSimulator } from '../sim/twilio-simulator.js';
import { callSid, createTestBackend, PASSWORD, PUBLIC_BASE_URL, type TestBackend } from '../../test/support/backend/test-backend.js';
import { identityForAgent } from '../twilio/agent-identity.js';
import { twilioSignature } from '../twilio/request-signature.js';

let t: TestBackend;
let alice: string;
let openCallId: string;

const SQL = ["' or '1'='1", "'; drop table public.calls; --", '1; select pg_sleep(5)', "\\'); delete from auth.users; --"];
const SCRIPT = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)', '{{constructor.constructor("alert(1)")()}}'];
const ODD = ['\u202Eevil\u202C', 'עברית العربية', '\u0000nul', 'e\u0301\u0301\u0301', '\uFEFF\u200B\u200D', '𝕳𝖊𝖑𝖑𝖔 👩‍👩‍👧‍👦', '\uD800'];
const HOSTILE = [...SQL, ...SCRIPT, ...ODD];
const MEGABYTE = 'a'.repeat(1024 * 1024);
const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';
/** encodeURIComponent, except that a lone surrogate is sent as the bytes of one (as a hostile client would). */
const enc = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};

beforeAll(async () => {
  // Throttling would answer the many wrong passwords below with 429 (login-throttle.test.ts covers it).
  t = await createTestBackend({ LOGIN_FAILURES_PER_ACCOUNT: '10000', LOGIN_FAILURES_PER_ADDRESS: '10000' });
  // The simulator's routes too, with a simulator that cannot reach anything (no hostile request should get that far).
  const sim = createTwilioSimulator({ publicBaseUrl: PUBLIC_BASE_URL, creds: t.deps.creds, logger: silentLogger, fetch: () => Promise.reject(new Error('offline')) });
  t.app.route('/api/sim', simRoutes(t.deps, sim));
  alice = await t.login('alice@acme.test');
  // An open call, so that callbacks for it have something they could (but must not) change.
  const placed = await t.placeCall(t.agents.alice, '+14155550170');
  openCallId = placed.callId!;
});
afterAll(() => t.close());

type Case = {
  name: string;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Bearer token: Alice's by default, none when null. */
  token?: string | null;
  /** A Twilio form to sign over the path (unless a signature header is given). */
  form?: Record<string, string>;
  rawForm?: string;
  status: number;
  code?: string;
};

const json = { 'content-type': 'application/json' };
const formType = { 'content-type': 'application/x-www-form-urlencoded' };

function voiceForm(extra: Record<string, string> = {}) {
  return { AccountSid: t.deps.creds.accountSid, CallSid: callSid(), From: `client:${identityForAgent(t.agents.bob.id)}`, To: '+14155550100', ...extra };
}

async function send(c: Case): Promise<Response> {
  const headers: Record<string, string> = { ...(c.headers ?? {}) };
  let body = c.body;
  if (c.form) {
    body = new URLSearchParams(c.form).toString();
    headers['content-type'] ??= formType['content-type'];
    headers['x-twilio-signature'] ??= twilioSignature(t.deps.creds.authToken, `${PUBLIC_BASE_URL}${c.path}`, c.form);
  }
  if (c.rawForm !== undefined) body = c.rawForm;
  if (c.token !== null) headers.authorization = `Bearer ${c.token ?? alice}`;
  return t.app.request(c.path, { method: c.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
}

async function snapshot() {
  const { rows } = await t.db.query<Record<string, number>>(`select
    (select count(*)::int from public.calls) as calls,
    (select count(*)::int from public.call_events) as call_events,
    (select count(*)::int from public.voip_users) as agents,
    (select count(*)::int from public.organizations) as organizations,
    (select count(*)::int from auth.users) as users,
    (select count(*)::int from auth.refresh_tokens) as refresh_tokens,
    (select count(*)::int from auth.refresh_tokens where revoked) as revoked,
    (select string_agg(id::text || status || coalesce(error_code, ''), ',' order by id) from public.calls) as call_states`);
  return rows[0];
}

function cases(): Case[] {
  const agentRoutes = [
    { method: 'GET', path: '/api/calls' },
    { method: 'GET', path: '/api/agents' },
    { method: 'GET', path: '/api/events' },
    { method: 'POST', path: '/api/twilio/token' },
    { method: 'POST', path: '/api/sim/calls' },
    { method: 'POST', path: '/api/sim/calls/CA00000000000000000000000000000000/hangup' },
    { method: 'GET', path: '/api/sim/events' },
  ];
  const jsonRoutes = ['/api/auth/login', '/api/auth/refresh', '/api/auth/logout', '/api/sim/calls'];
  const webhooks = ['/api/twilio/outbound', `/api/twilio/outbound-events?callId=${openCallId}`, `/api/twilio/outbound-status?callId=${openCallId}`];
  const list: Case[] = [];

  // -- Agent routes: every way of not having a valid token.
  for (const r of agentRoutes) {
    list.push(
      { name: `${r.method} ${r.path} without a token`, ...r, token: null, status: 401, code: 'unauthorized' },
      { name: `${r.method} ${r.path} with Basic auth`, ...r, token: null, headers: { authorization: 'Basic YWxpY2U6cGFzcw==' }, status: 401 },
      ...HOSTILE.filter((h) => /^[\x21-\x7e]+$/.test(h)).map((h) => ({ name: `${r.method} ${r.path} with token ${JSON.stringify(h)}`, ...r, token: h, status: 401 })),
      { name: `${r.method} ${r.path} with a 10 KB token`, ...r, token: 'x'.repeat(10_000), status: 401 },
    );
  }

  // -- JSON routes: bad JSON, wrong shapes, wrong content types, 1 MB, hostile values.
  for (const path of jsonRoutes) {
    const token = path.startsWith('/api/sim') ? undefined : null;
    list.push(
      { name: `${path} with truncated JSON`, path, token, headers: json, body: '{"email":', status: 400 },
      { name: `${path} with a JSON array`, path, token, headers: json, body: '[1,2]', status: 400 },
      { name: `${path} with JSON null`, path, token, headers: json, body: 'null', status: 400 },
      { name: `${path} with an empty body`, path, token, headers: json, body: '', status: 400 },
      { name: `${path} as text/plain`, path, token, headers: { 'content-type': 'text/plain' }, body: '{"email":"alice@acme.test"}', status: 415 },
      { name: `${path} as a form`, path, token, headers: formType, body: 'email=alice%40acme.test', status: 415 },
      { name: `${path} with no content type`, path, token, body: '{"refreshToken":"xxxxxxxxxxxxxxxx"}', status: 415 },
      { name: `${path} with a 1 MB body`, path, token, headers: json, body: JSON.stringify({ email: MEGABYTE, password: MEGABYTE, To: MEGABYTE }), status: 413 },
      { name: `${path} with __proto__ keys`, path, token, headers: json, body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}', status: 400 },
    );
  }
  for (const h of HOSTILE) {
    list.push(
      { name: `login with email ${JSON.stringify(h)}`, path: '/api/auth/login', headers: json, body: JSON.stringify({ email: h, password: PASSWORD }), status: 400 },
      { name: `login with password ${JSON.stringify(h)}`, path: '/api/auth/login', headers: json, body: JSON.stringify({ email: 'alice@acme.test', password: h }), status: 401 },
      { name: `refresh with token ${JSON.stringify(h)}`, path: '/api/auth/refresh', headers: json, body: JSON.stringify({ refreshToken: h.padEnd(12, '#') }), status: 401 },
      { name: `sim digits ${JSON.stringify(h)}`, path: '/api/sim/calls/CA00000000000000000000000000000000/digits', token: undefined, headers: json, body: JSON.stringify({ digits: h }), status: 400 },
      { name: `calls cursor ${JSON.stringify(h)}`, path: `/api/calls?cursor=${enc(h)}`, status: 400 },
      { name: `calls limit ${JSON.stringify(h)}`, path: `/api/calls?limit=${enc(h)}`, status: 400 },
    );
  }
  list.push(
    { name: 'login with a password over 1 KB', path: '/api/auth/login', headers: json, body: JSON.stringify({ email: 'alice@acme.test', password: 'p'.repeat(2000) }), status: 400 },
    { name: 'login with the email as a number', path: '/api/auth/login', headers: json, body: '{"email":42,"password":"x"}', status: 400 },
    { name: 'sim call with a number as an object', path: '/api/sim/calls', token: undefined, headers: json, body: '{"To":{"$gt":""}}', status: 400 },
    { name: 'sim call with a 65-character number', path: '/api/sim/calls', token: undefined, headers: json, body: JSON.stringify({ To: '1'.repeat(65) }), status: 400 },
    { name: 'sim mute with a string', path: '/api/sim/calls/CA00000000000000000000000000000000/mute', token: undefined, headers: json, body: '{"muted":"yes"}', status: 400 },
    { name: 'calls with a repeated limit', path: '/api/calls?limit=1&limit=2', status: 400 },
    { name: 'calls with a 60 KB query string', path: `/api/calls?cursor=${'A'.repeat(60_000)}`, status: 400 },
    { name: 'calls with a 60 KB unknown parameter', path: `/api/calls?x=${'A'.repeat(60_000)}&limit=0`, status: 400 },
    { name: 'events with a 10 KB query token', path: `/api/events?access_token=${'A'.repeat(10_000)}`, token: null, status: 401 },
    { name: 'an unknown route', path: '/api/../../etc/passwd', status: 404 },
    { name: 'GET on a POST-only webhook', path: '/api/twilio/outbound', token: null, status: 404 },
  );

  // -- Twilio webhooks: forged or missing signatures, wrong types, repeated fields, 1 MB, bad callIds.
  for (const path of webhooks) {
    const form = path.includes('outbound?') || path.endsWith('/outbound') ? voiceForm() : { CallSid: callSid(), CallStatus: 'completed', DialCallStatus: 'completed' };
    list.push(
      { name: `${path} without a signature`, path, headers: formType, body: new URLSearchParams(form).toString(), status: 403, code: 'invalid-signature' },
      { name: `${path} with a forged signature`, path, form, headers: { 'x-twilio-signature': 'bm90IGEgc2lnbmF0dXJl' }, status: 403, code: 'invalid-signature' },
      { name: `${path} signed for another body`, path, form, rawForm: new URLSearchParams({ ...form, To: '+19005550100', CallStatus: 'ringing' }).toString(), status: 403 },
      { name: `${path} signed with another token`, path, form, headers: { 'x-twilio-signature': twilioSignature('f'.repeat(32), `${PUBLIC_BASE_URL}${path}`, form) }, status: 403 },
      { name: `${path} as JSON`, path, headers: { ...json, 'x-twilio-signature': 'x' }, body: JSON.stringify(form), status: 415 },
      { name: `${path} as multipart`, path, headers: { 'content-type': 'multipart/form-data; boundary=x', 'x-twilio-signature': 'x' }, body: '--x--', status: 415 },
      { name: `${path} with a repeated field`, path, headers: { ...formType, 'x-twilio-signature': 'x' }, body: 'CallSid=CA1&CallSid=CA2&CallStatus=completed', status: 400, code: 'repeated-field' },
      { name: `${path} with a 1 MB body`, path, headers: { ...formType, 'x-twilio-signature': 'x' }, body: `To=${MEGABYTE}`, status: 413 },
      { name: `${path} with 500 fields`, path, headers: { ...formType, 'x-twilio-signature': 'x' }, body: Array.from({ length: 500 }, (_, i) => `f${i}=1`).join('&'), status: 400 },
    );
  }
  for (const route of ['outbound-events', 'outbound-status']) {
    const f = { CallSid: callSid(), CallStatus: 'completed', DialCallStatus: 'completed' };
    for (const bad of [...SQL, ...SCRIPT, '', 'not-a-uuid', `${UNKNOWN_UUID}x`, 'A'.repeat(50_000)]) {
      list.push({ name: `${route} with callId ${JSON.stringify(bad.slice(0, 40))}`, path: `/api/twilio/${route}?callId=${enc(bad)}`, form: f, status: 400, code: 'invalid-call-id' });
    }
    list.push(
      { name: `${route} without a callId`, path: `/api/twilio/${route}`, form: f, status: 400, code: 'invalid-call-id' },
      { name: `${route} for an unknown call`, path: `/api/twilio/${route}?callId=${UNKNOWN_UUID}`, form: f, status: 404, code: 'unknown-call' },
    );
    for (const h of [...HOSTILE, 'done', 'complete', '']) {
      const field = route === 'outbound-events' ? 'CallStatus' : 'DialCallStatus';
      list.push({ name: `${route} with ${field} ${JSON.stringify(h)}`, path: `/api/twilio/${route}?callId=${openCallId}`, form: { CallSid: callSid(), [field]: h }, status: 400, code: 'invalid-status' });
    }
  }
  for (const h of [...SQL, ...SCRIPT, '', 'CA123']) {
    list.push({ name: `outbound with CallSid ${JSON.stringify(h)}`, path: '/api/twilio/outbound', form: voiceForm({ CallSid: h }), status: 400, code: 'invalid-call-sid' });
    list.push({ name: `outbound with AccountSid ${JSON.stringify(h)}`, path: '/api/twilio/outbound', form: voiceForm({ AccountSid: h }), status: 403, code: 'wrong-account' });
  }
  return list;
}

function parseJson(text: string): { error?: { code?: string; message?: string } } | null {
  try {
    return JSON.parse(text) as { error?: { code?: string; message?: string } };
  } catch {
    return null;
  }
}

describe('hostile input', () => {
  it('answers every malformed or hostile request with a 4xx and a sentence, writes nothing, and stays healthy', async () => {
    const before = await snapshot();
    const failures: string[] = [];
    const all = cases();
    expect(all.length).toBeGreaterThan(250);
    for (const c of all) {
      const res = await send(c);
      const text = await res.text();
      const body = parseJson(text);
      const problems: string[] = [];
      if (res.status !== c.status) problems.push(`status ${res.status}, expected ${c.status}`);
      if (!body?.error?.message || !/\S.*[.!?]$/s.test(body.error.message)) problems.push(`error is not a sentence: ${text.slice(0, 160)}`);
      if (c.code && body?.error?.code !== c.code) problems.push(`code ${body?.error?.code}, expected ${c.code}`);
      if (/\bat .+:\d+:\d+|node_modules|stack/i.test(text)) problems.push('leaks a stack trace');
      if (problems.length) failures.push(`${c.name}: ${problems.join('; ')}`);
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);

    const health = await t.app.request('/health');
    expect(health.status).toBe(200);
    expect((await t.app.request('/api/agents', { headers: { authorization: `Bearer ${alice}` } })).status).toBe(200);
  });
});

/** Ends a test's call even when the test failed, so the next test's agent is free. */
async function end(callId: string | null, parentSid: string) {
  if (callId) await t.twilio(`/api/twilio/outbound-status?callId=${callId}`, { CallSid: parentSid, DialCallStatus: 'completed' });
}

describe('hostile text in a signed call', () => {
  it.each(HOSTILE)('stores the contact name, page title and page URL %j as inert text and returns them JSON-escaped', async (h) => {
    const placed = await t.placeCall(t.agents.bob, '+14155550171', { contactName: h, pageTitle: h, pageUrl: h });
    onTestFinished(() => void end(placed.callId, placed.callSid));
    expect(placed.response.status).toBe(200);
    expect(placed.twiml).toMatch(/<Dial /);
    const call = (await t.deps.store.getCall(placed.callId!))!;
    // Control characters become spaces, invisible and direction characters go, text is NFC, a lone surrogate is
    // replaced: otherwise exactly what was sent.
    const expected = (cleanText(h, 500) ?? '').replace(/\uD800/g, '\uFFFD') || null;
    expect(call.contactName).toBe(expected);
    expect(call.pageTitle).toBe(expected);
    // Only http(s) page URLs are kept: anything else (javascript:, text) is dropped, never shown as a link.
    expect(call.pageUrl).toBeNull();
    const page = await t.app.request('/api/calls?limit=1', { headers: { authorization: `Bearer ${await t.login('bob@acme.test')}` } });
    expect(page.status).toBe(200);
    const raw = await page.text();
    expect(page.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((JSON.parse(raw) as { calls: Array<{ contactName: string }> }).calls[0]!).contactName).toBe(expected);
    // Hostile text in the callback's own fields is kept in the ledger's payload, also inert.
    const ended = await t.twilio(`/api/twilio/outbound-status?callId=${placed.callId}`, { CallSid: placed.callSid, DialCallStatus: 'completed', Note: h });
    expect(ended.status).toBe(200);
    const { rows } = await t.db.query<{ note: string }>(`select payload->>'Note' as note from call_events where call_id = $1`, [placed.callId]);
    // NUL cannot be stored in Postgres text and becomes U+FFFD; a leading BOM is dropped by the driver's UTF-8 decoding.
    expect(rows).toEqual([{ note: h.replaceAll('\u0000', '\uFFFD').replace(/\uD800/g, '\uFFFD').replace(/^\uFEFF/, '') }]);
  });

  it('refuses a hostile "To" with <Say> and <Hangup/>, escaping it in the TwiML, and records the failed call', async () => {
    for (const h of [...SQL, ...SCRIPT, '</Say><Dial>+19005550100</Dial>', '+1 (415) 555-01\u0000\u0000']) {
      const placed = await t.placeCall(t.agents.bob, h);
      expect(placed.response.status).toBe(200);
      expect(placed.twiml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Say>This call was refused: [^<]*<\/Say><Hangup\/><\/Response>$/);
      const latest = (await t.deps.store.listCalls(t.agents.bob.organizationId, 1, null)).calls[0]!;
      expect(latest).toMatchObject({ status: 'failed', errorCode: expect.stringMatching(/^(invalid-number|premium-number)$/) });
      expect(placed.twiml.match(/<Say>/g)).toHaveLength(1);
    }
  });

  it('keeps an http(s) page URL', async () => {
    const placed = await t.placeCall(t.agents.bob, '+14155550172', { pageUrl: 'https://crm.example.com/a?b=1#c' });
    onTestFinished(() => void end(placed.callId, placed.callSid));
    expect((await t.deps.store.getCall(placed.callId!))!.pageUrl).toBe('https://crm.example.com/a?b=1#c');
  });
});
