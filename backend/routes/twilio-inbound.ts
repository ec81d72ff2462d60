// Twilio's webhooks for calls to the organization's numbers: the number's Voice URL (/inbound) and status callback
// (/inbound-status), the <Dial action> (/inbound-dial), each <Client> leg's status callback (/inbound-client-events),
// and the voicemail's <Record action> (/inbound-voicemail) and recordingStatusCallback (/inbound-recording).
import { Hono } from 'hono';
import { isTerminal, parseTwilioStatus } from '../../shared/call-status.js';
import type { AppDeps } from '../app.js';
import { notifyCallChange } from '../calls/call-notifier.js';
import { ApiError } from '../http/api-error.js';
import { cleanText } from '../http/free-text.js';
import type { SignedTwilioForm, TwilioWebhookEnv } from '../http/twilio-form.js';
import type { InboundEventRecord } from '../store/inbound-store.js';
import { agentIdFromClient } from '../twilio/agent-identity.js';
import { emptyTwiml, refusalTwiml } from '../twilio/call-twiml.js';
import { inboundDialTwiml, voicemailDoneTwiml, voicemailTwiml } from '../twilio/inbound-twiml.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CALL_SID = /^CA[0-9a-f]{32}$/i;
const RECORDING_SID = /^RE[0-9a-f]{32}$/;
const E164 = /^\+[1-9]\d{6,14}$/;

const NOT_IN_SERVICE = 'The number you called is not in service. Goodbye.';

function intField(v: string | undefined): number | null {
  if (v === undefined || !/^\d{1,9}$/.test(v)) return null;
  return Number(v);
}

function eventTime(v: string | undefined, received: Date): Date {
  const t = v ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? new Date(t) : received;
}

/** Postgres cannot store NUL in jsonb. */
function ledgerPayload(form: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(form)) out[k.replaceAll('\u0000', '\uFFFD')] = v.replaceAll('\u0000', '\uFFFD');
  return out;
}

/**
 * Where the voicemail is fetched from later: only Twilio's API, or this server's simulator; anything else (a signed
 * request still names a URL we would fetch with our credentials) is not kept, and the recording's SID is used instead.
 */
function recordingUrlField(url: string | undefined, publicBaseUrl: string): string | null {
  if (!url || url.length > 2048) return null;
  if (/^https:\/\/api\.twilio\.com\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Recordings\/RE[0-9a-f]{32}$/.test(url)) return url;
  if (url.startsWith(`${publicBaseUrl}/api/sim-recordings/`) && /\/RE[0-9a-f]{32}$/.test(url)) return url;
  return null;
}

export function twilioInboundRoutes(deps: AppDeps) {
  const { store, creds, config, clock, logger, live } = deps;
  // Mounted in the Twilio-facing sub-app, whose middleware has checked the signature and read the form (twilio-facing.ts).
  const app = new Hono<TwilioWebhookEnv>();
  const xml = (body: string) => new Response(body, { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' } });

  function signed(c: { get(key: 'twilioForm'): SignedTwilioForm }): SignedTwilioForm {
    const result = c.get('twilioForm');
    if (result.fields.AccountSid !== creds.accountSid) throw new ApiError(403, 'wrong-account', 'This request is for another Twilio account.');
    const sid = result.fields.CallSid ?? '';
    if (!CALL_SID.test(sid)) throw new ApiError(400, 'invalid-call-sid', 'CallSid is missing or is not a Twilio call SID.');
    return result;
  }

  function requireCallId(value: string | undefined): string {
    if (!value || !UUID.test(value)) throw new ApiError(400, 'invalid-call-id', 'callId must be the id of a call (a UUID).');
    return value;
  }

  async function record(event: InboundEventRecord): Promise<void> {
    const result = await store.recordInboundEvent(event);
    if (!result.found) throw new ApiError(404, 'unknown-call', 'No inbound call has that callId.');
    if (!result.changed) return;
    await notifyCallChange(deps, result.organizationId, result.call, result.previousStatus, event.source);
    // The agent who answered is now On a call for their teammates (the notifier only tells of calls opening or closing).
    if (event.kind === 'answered' && result.call.answeredBy === event.agentId && result.call.status === 'in-progress' && event.agentId) {
      const agent = await store.getAgentPresence?.(event.agentId);
      if (agent) live.publish(result.organizationId, { type: 'presence', agent });
    }
  }

  app.post('/inbound', async (c) => {
    const { fields: form } = signed(c);
    const to = form.To ?? '';
    const number = E164.test(to) ? await store.findPhoneNumber(to) : null;
    if (!number) {
      logger.warn('inbound.unknown-number', { callSid: form.CallSid, to: cleanText(to, 32) });
      return xml(refusalTwiml(NOT_IN_SERVICE));
    }
    const from = form.From && E164.test(form.From) ? form.From : cleanText(form.From, 64);
    const received = await store.receiveInboundCall({
      organizationId: number.organizationId,
      twilioCallSid: form.CallSid!,
      fromNumber: from,
      toNumber: number.e164,
      createdAt: clock.now(),
    });
    const { call } = received;
    if (received.created) await notifyCallChange(deps, number.organizationId, call, null, 'inbound-voice-url');
    logger.info('inbound.received', { callId: call.id, agents: received.agents.length, known: received.caller.contactName !== null || received.caller.pageUrl !== null });
    if (received.agents.length === 0 || isTerminal(call.status)) return xml(voicemailTwiml(config.publicBaseUrl, call.id));
    return xml(
      inboundDialTwiml({
        publicBaseUrl: config.publicBaseUrl,
        agentIds: received.agents.map((a) => a.id),
        params: { callId: call.id, callerNumber: from, ...received.caller },
        timeLimitSeconds: config.maxCallMinutes * 60,
      }),
    );
  });

  // The number's own status callback: the caller's call, by CallSid (no callId: Twilio's console sets this URL).
  app.post('/inbound-status', async (c) => {
    const { fields: form, digest } = signed(c);
    const status = parseTwilioStatus(form.CallStatus);
    if (!status) throw new ApiError(400, 'invalid-status', 'CallStatus is missing or is not a Twilio call status.');
    const call = await store.findCallBySid(form.CallSid!);
    // A call to a number that is not ours was never recorded: nothing to update.
    if (!call || call.direction !== 'inbound') return c.body(null, 204);
    const received = clock.now();
    await record({
      callId: call.id, callSid: form.CallSid!, source: 'inbound-status', kind: isTerminal(status) ? 'ended' : 'ringing', agentId: null,
      occurredAt: eventTime(form.Timestamp, received), duration: null, recording: null, payload: ledgerPayload(form), idempotencyKey: `inbound-status:${digest}`,
    });
    return c.body(null, 204);
  });

  app.post('/inbound-client-events', async (c) => {
    const { fields: form, digest } = signed(c);
    const callId = requireCallId(c.req.query('callId'));
    const status = parseTwilioStatus(form.CallStatus);
    if (!status) throw new ApiError(400, 'invalid-status', 'CallStatus is missing or is not a Twilio call status.');
    const agentId = agentIdFromClient(form.To);
    const received = clock.now();
    await record({
      callId, callSid: form.CallSid!, source: 'inbound-client',
      kind: status === 'in-progress' ? 'answered' : status === 'ringing' ? 'ringing' : 'leg-ended',
      agentId, occurredAt: eventTime(form.Timestamp, received), duration: isTerminal(status) ? intField(form.CallDuration) : null,
      recording: null, payload: ledgerPayload(form), idempotencyKey: `inbound-client:${digest}`,
    });
    return c.body(null, 204);
  });

  app.post('/inbound-dial', async (c) => {
    const { fields: form, digest } = signed(c);
    const callId = requireCallId(c.req.query('callId'));
    const status = parseTwilioStatus(form.DialCallStatus);
    if (!status) throw new ApiError(400, 'invalid-status', 'DialCallStatus is missing or is not a Twilio call status.');
    await record({
      callId, callSid: form.CallSid!, source: 'inbound-dial', kind: 'ended', agentId: null, occurredAt: clock.now(),
      duration: status === 'completed' ? intField(form.DialCallDuration) : null, recording: null, payload: ledgerPayload(form),
      idempotencyKey: `inbound-dial:${digest}`,
    });
    // Answered and over: the call ends. Nobody answered (or every agent declined): the caller may leave a voicemail.
    return xml(status === 'completed' ? emptyTwiml() : voicemailTwiml(config.publicBaseUrl, callId));
  });

  app.post('/inbound-voicemail', async (c) => {
    const { fields: form, digest } = signed(c);
    const callId = requireCallId(c.req.query('callId'));
    await record({
      callId, callSid: form.CallSid!, source: 'inbound-recording', kind: 'ended', agentId: null, occurredAt: clock.now(),
      duration: null, recording: null, payload: ledgerPayload(form), idempotencyKey: `inbound-voicemail:${digest}`,
    });
    return xml(voicemailDoneTwiml());
  });

  app.post('/inbound-recording', async (c) => {
    const { fields: form, digest } = signed(c);
    const callId = requireCallId(c.req.query('callId'));
    const sid = form.RecordingSid ?? '';
    if (!RECORDING_SID.test(sid)) throw new ApiError(400, 'invalid-recording-sid', 'RecordingSid is missing or is not a Twilio recording SID.');
    const completed = (form.RecordingStatus ?? 'completed') === 'completed';
    await record({
      callId, callSid: form.CallSid!, source: 'inbound-recording', kind: completed ? 'voicemail' : 'leg-ended', agentId: null, occurredAt: clock.now(),
      duration: null,
      recording: completed ? { sid, url: recordingUrlField(form.RecordingUrl, config.publicBaseUrl), duration: intField(form.RecordingDuration) } : null,
      payload: ledgerPayload(form), idempotencyKey: `inbound-recording:${digest}`,
    });
    return c.body(null, 204);
  });

  return app;
}
