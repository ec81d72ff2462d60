// The app's two audiences: Twilio's webhooks at /twilio and at their old /api/twilio paths (signed or refused, never
// CORS), the browser's routes under /api (CORS for the allowed origins), /api/twilio/token among them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSid, createTestBackend, PUBLIC_BASE_URL, type TestBackend } from '../test/support/backend/test-backend.js';
import { identityForAgent } from './twilio/agent-identity.js';
import { twilioSignature } from './twilio/request-signature.js';
import { LEGACY_TWILIO_WEBHOOK_PREFIX, TWILIO_WEBHOOK_PREFIX, TWILIO_WEBHOOK_ROUTES } from './twilio/webhook-urls.js';

const ORIGIN = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const LINE = '+14155550800';
const PREFIXES = [
  ['the new path', TWILIO_WEBHOOK_PREFIX],
  ['the old path', LEGACY_TWILIO_WEBHOOK_PREFIX],
] as const;

let t: TestBackend;
let alice: string;
beforeAll(async () => {
  t = await createTestBackend({ ALLOWED_ORIGINS: ORIGIN });
  await t.deps.store.addPhoneNumber({ organizationId: t.agents.alice.organizationId, e164: LINE, label: 'Main', isDefault: true, twilioSid: null });
  alice = await t.login('alice@acme.test');
});
afterAll(() => t?.close());

const form = (body: Record<string, string>) => ({ 'content-type': 'application/x-www-form-urlencoded', body: new URLSearchParams(body).toString() });
const unsigned = (path: string, body: Record<string, string>, headers: Record<string, string> = {}) => {
  const { 'content-type': type, body: encoded } = form(body);
  return t.app.request(path, { method: 'POST', headers: { 'content-type': type, ...headers }, body: encoded });
};

describe.each(PREFIXES)("Twilio's webhooks at %s", (_what, prefix) => {
  it.each(TWILIO_WEBHOOK_ROUTES)('refuses an unsigned request to %s', async (route) => {
    const res = await unsigned(`${prefix}/${route}`, { AccountSid: t.deps.creds.accountSid, CallSid: callSid() });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid-signature');
  });

  it.each(TWILIO_WEBHOOK_ROUTES)('lets a validly signed request to %s through to the route', async (route) => {
    // Signed but missing the route's fields: the route's own check answers, not the signature's.
    const res = await t.twilio(`${prefix}/${route}`, { AccountSid: t.deps.creds.accountSid });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).not.toBe('invalid-signature');
  });

  it('refuses a request signed for the URL of the other path, as the signature covers the URL requested', async () => {
    const other = prefix === TWILIO_WEBHOOK_PREFIX ? LEGACY_TWILIO_WEBHOOK_PREFIX : TWILIO_WEBHOOK_PREFIX;
    const body = { AccountSid: t.deps.creds.accountSid, CallSid: callSid(), From: `client:${identityForAgent(t.agents.alice.id)}`, To: '+14155550100' };
    const res = await t.twilio(`${prefix}/outbound`, body, { signature: twilioSignature(t.deps.creds.authToken, `${PUBLIC_BASE_URL}${other}/outbound`, body) });
    expect(res.status).toBe(403);
  });

  it('places, rings and ends an outbound call, naming the new paths for its callbacks', async () => {
    t.clock.advance(60_000);
    const sid = callSid();
    const voice = await t.twilio(`${prefix}/outbound`, { AccountSid: t.deps.creds.accountSid, CallSid: sid, From: `client:${identityForAgent(t.agents.alice.id)}`, To: '+14155550100' });
    expect(voice.status).toBe(200);
    const twiml = await voice.text();
    const callId = /callId=([0-9a-f-]{36})/.exec(twiml)?.[1];
    expect(callId).toBeDefined();
    expect(twiml).toContain(`action="${PUBLIC_BASE_URL}${TWILIO_WEBHOOK_PREFIX}/outbound-status?callId=${callId}`);
    expect(twiml).toContain(`statusCallback="${PUBLIC_BASE_URL}${TWILIO_WEBHOOK_PREFIX}/outbound-events?callId=${callId}`);

    const ringing = await t.twilio(`${prefix}/outbound-events?callId=${callId}`, { AccountSid: t.deps.creds.accountSid, CallSid: callSid(), ParentCallSid: sid, CallStatus: 'ringing', SequenceNumber: '1' });
    expect(ringing.status).toBe(204);
    const ended = await t.twilio(`${prefix}/outbound-status?callId=${callId}`, { AccountSid: t.deps.creds.accountSid, CallSid: sid, DialCallSid: callSid(), DialCallStatus: 'completed', DialCallDuration: '9' });
    expect(ended.status).toBe(200);
    expect(await t.deps.store.findCallBySid(sid)).toMatchObject({ status: 'completed', duration: 9 });
  });

  it("answers a call to the organization's number", async () => {
    t.clock.advance(60_000);
    const sid = callSid();
    const res = await t.twilio(`${prefix}/inbound`, { AccountSid: t.deps.creds.accountSid, CallSid: sid, From: '+14155550177', To: LINE, Direction: 'inbound', CallStatus: 'ringing' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`${PUBLIC_BASE_URL}${TWILIO_WEBHOOK_PREFIX}/inbound-`);
    expect(await t.deps.store.findCallBySid(sid)).toMatchObject({ direction: 'inbound' });
  });

  it('sends no CORS headers, even to an allowed origin', async () => {
    const pre = await t.app.request(`${prefix}/outbound`, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    for (const route of TWILIO_WEBHOOK_ROUTES) {
      const res = await t.twilio(`${prefix}/${route}`, { AccountSid: t.deps.creds.accountSid });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const refused = await unsigned(`${prefix}/${route}`, {}, { origin: ORIGIN });
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('has no route for other methods', async () => {
    const res = await t.app.request(`${prefix}/outbound`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(`There is no GET ${prefix}/outbound on this server.`);
  });
});

describe("the browser's routes", () => {
  it.each([
    ['GET', '/api/calls'],
    ['POST', '/api/twilio/token'],
    ['GET', '/api/config'],
  ])('send CORS headers for an allowed origin: %s %s', async (method, path) => {
    const pre = await t.app.request(path, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': method, 'access-control-request-headers': 'authorization' } });
    expect(pre.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const res = await t.app.request(path, { method, headers: { origin: ORIGIN, authorization: `Bearer ${alice}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('send none to an origin that is not allowed', async () => {
    const res = await t.app.request('/api/calls', { headers: { origin: 'https://evil.example', authorization: `Bearer ${alice}` } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("include the simulator's, mounted on the app after it was built", async () => {
    const pre = await t.app.request('/api/sim/calls', { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } });
    expect(pre.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('are not reachable under the Twilio-facing prefix, where a request is a webhook or refused', async () => {
    const res = await t.app.request(`${TWILIO_WEBHOOK_PREFIX}/token`, { method: 'POST', headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(415);
  });
});
