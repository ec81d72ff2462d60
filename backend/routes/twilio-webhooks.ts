// Twilio's webhooks: the TwiML App's Voice URL (/outbound), the <Number statusCallback> (/outbound-events) and the <Dial action> (/outbound-status).
import { Hono } from 'hono';
import { parseTwilioStatus } from '../../shared/call-status.js';
import { notifyCallChange } from '../calls/call-notifier.js';
import { ApiError } from '../http/api-error.js';
import { cleanText } from '../http/free-text.js';
import { recentKeys } from '../http/recent-keys.js';
import type { TwilioWebhookEnv } from '../http/twilio-form.js';
import type { AppDeps } from '../app.js';
import { agentIdFromClient } from '../twilio/agent-identity.js';
import { chooseCallerId } from '../twilio/caller-id.js';
import { agentLimits, checkExtension, checkOutboundNumber } from '../twilio/call-guard.js';
import { dialTwiml, emptyTwiml, refusalTwiml } from '../twilio/call-twiml.js';
import type { CallEventRecord } from '../store/call-store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CALL_SID = /^CA[0-9a-f]{32}$/i;

const clip = cleanText;

/** The page the call was placed from, only as an http(s) URL: anything else (javascript:, data:, text) could become a link. */
function pageUrlField(v: string | undefined): string | null {
  const text = clip(v, 2048);
  if (!text) return null;
  try {
    const u = new URL(text);
    return u.protocol === 'https:' || u.protocol === 'http:' ? text : null;
  } catch {
    return null;
  }
}

/** The webhook's fields for the ledger: Postgres cannot store NUL in text or jsonb, so it becomes U+FFFD. */
function ledgerPayload(form: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(form)) out[k.replaceAll('\u0000', '\uFFFD')] = v.replaceAll('\u0000', '\uFFFD');
  return out;
}

function intField(v: string | undefined): number | null {
  if (v === undefined || !/^\d{1,9}$/.test(v)) return null;
  return Number(v);
}

/** Twilio's Timestamp is RFC 2822 ("Tue, 24 Nov 2026 21:45:48 +0000"); fall back to when it arrived. */
function eventTime(v: string | undefined, received: Date): Date {
  const t = v ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? new Date(t) : received;
}

export function twilioWebhookRoutes(deps: AppDeps) {
  const { store, creds, config, clock, logger } = deps;
  // Mounted in the Twilio-facing sub-app, whose middleware has checked the signature and read the form (twilio-facing.ts).
  const app = new Hono<TwilioWebhookEnv>();
  const xml = (body: string) => new Response(body, { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' } });

  app.post('/outbound', async (c) => {
    const { fields: form } = c.get('twilioForm');
    const callSid = form.CallSid ?? '';
    if (!CALL_SID.test(callSid)) throw new ApiError(400, 'invalid-call-sid', 'CallSid is missing or is not a Twilio call SID.');
    if (form.AccountSid !== creds.accountSid) {
      throw new ApiError(403, 'wrong-account', 'This request is for another Twilio account.');
    }

    const agentId = agentIdFromClient(form.From);
    const now = clock.now();
    // The number is checked before the database; the agent, their open call and rate limit in one database step.
    const number = checkOutboundNumber(form.To ?? '', config);
    const extension = checkExtension(form.extension);
    // The caller id the agent chose (callFrom) must be their organization's: a forged one is refused and recorded.
    const caller = agentId ? await chooseCallerId(store, agentId, form.callFrom, creds.callerId) : { ok: true as const, callerId: creds.callerId };
    const decision = !number.ok ? number : !extension.ok ? { ...extension, e164: number.e164 } : !caller.ok ? { ...caller, e164: number.e164 } : number;
    const placed = agentId
      ? await store.placeOutboundCall({
          agentId,
          twilioCallSid: callSid,
          fromNumber: caller.ok ? caller.callerId : creds.callerId,
          toNumber: decision.e164 ?? clip(form.To, 64),
          contactName: clip(form.contactName, 200),
          pageUrl: pageUrlField(form.pageUrl),
          pageTitle: clip(form.pageTitle, 500),
          extension: extension.ok ? extension.extension : null,
          refusal: decision.ok ? null : { code: decision.code, message: clip(decision.reason, 500) ?? decision.code },
          ...agentLimits(now, config),
          createdAt: now,
        })
      : { found: false as const };
    if (!placed.found) {
      // No organization to record it under: say so to the caller and in the log.
      logger.warn('call.refused', { callSid, reason: 'unknown-agent', from: clip(form.From, 80) });
      return xml(refusalTwiml('This call was refused: the caller is not a known agent. Sign in to the extension again.'));
    }
    const { created, call, organizationId } = placed;
    if (created) await notifyCallChange(deps, organizationId, call, null, 'voice-url');
    // A retried Voice URL request gets the same answer as the first.
    if (call.status === 'failed' && call.errorMessage) return xml(refusalTwiml(call.errorMessage));
    if (!call.toNumber) return xml(refusalTwiml('This call was refused: it has no number to dial.'));
    return xml(
      dialTwiml({
        publicBaseUrl: config.publicBaseUrl,
        callId: call.id,
        callerId: call.fromNumber ?? creds.callerId,
        to: call.toNumber,
        timeLimitSeconds: config.maxCallMinutes * 60,
        // A second's pause first (as a person waits for the menu) unless the extension says how long to wait itself.
        sendDigits: call.extension ? (/^[wW]/.test(call.extension) ? call.extension : `ww${call.extension}`) : null,
      }),
    );
  });

  // Callbacks this instance has written to the ledger: Twilio's retries of them are answered at once.
  // Only keys of committed events go in, after the signature was checked, so a hit means "already recorded".
  const recorded = recentKeys(50_000);

  async function recordCallback(callId: string, event: Omit<CallEventRecord, 'callId'>): Promise<void> {
    const seen = `${callId}\n${event.idempotencyKey}`;
    if (recorded.has(seen)) return;
    const result = await store.recordCallEvent({ ...event, callId });
    if (!result.found) throw new ApiError(404, 'unknown-call', 'No call has that callId.');
    if (result.changed) await notifyCallChange(deps, result.organizationId, result.call, result.previousStatus, event.source);
    recorded.add(seen);
  }

  /** CallSid, and ParentCallSid/DialCallSid when present, must be call SIDs: a re-split moves text into or out of them. */
  function requireCallSids(form: Record<string, string>, optional: readonly string[]): void {
    const bad = ['CallSid', ...optional].find((k) => (k === 'CallSid' || form[k] !== undefined) && !CALL_SID.test(form[k] ?? ''));
    if (bad) throw new ApiError(400, 'invalid-call-sid', `${bad} is missing or is not a Twilio call SID.`);
  }

  function requireCallId(value: string | undefined): string {
    if (!value || !UUID.test(value)) throw new ApiError(400, 'invalid-call-id', 'callId must be the id of a call (a UUID).');
    return value;
  }

  app.post('/outbound-events', async (c) => {
    const { fields: form, digest } = c.get('twilioForm');
    const callId = requireCallId(c.req.query('callId'));
    requireCallSids(form, ['ParentCallSid']);
    const status = parseTwilioStatus(form.CallStatus);
    if (!status) throw new ApiError(400, 'invalid-status', 'CallStatus is missing or is not a Twilio call status.');
    if (form.SequenceNumber !== undefined && intField(form.SequenceNumber) === null) {
      throw new ApiError(400, 'invalid-sequence-number', 'SequenceNumber is not a number.');
    }
    const received = clock.now();
    const sequence = intField(form.SequenceNumber);
    await recordCallback(callId, {
      callSid: clip(form.CallSid, 64),
      dialCallSid: clip(form.CallSid, 64),
      sequenceNumber: sequence,
      source: 'call-progress-events',
      status,
      occurredAt: eventTime(form.Timestamp, received),
      duration: intField(form.CallDuration),
      errorCode: clip(form.ErrorCode, 20),
      errorMessage: clip(form.ErrorMessage, 500),
      payload: ledgerPayload(form),
      // What the signature covers, not parsed fields: a re-split replay gets the same key (see signedContentDigest).
      idempotencyKey: `events:${digest}`,
    });
    return c.body(null, 204);
  });

  app.post('/outbound-status', async (c) => {
    const { fields: form, digest } = c.get('twilioForm');
    const callId = requireCallId(c.req.query('callId'));
    requireCallSids(form, ['DialCallSid']);
    const status = parseTwilioStatus(form.DialCallStatus);
    if (!status) throw new ApiError(400, 'invalid-status', 'DialCallStatus is missing or is not a Twilio call status.');
    await recordCallback(callId, {
      callSid: clip(form.CallSid, 64),
      dialCallSid: clip(form.DialCallSid, 64),
      sequenceNumber: null,
      source: 'dial-action',
      status,
      occurredAt: clock.now(),
      duration: intField(form.DialCallDuration),
      errorCode: clip(form.ErrorCode, 20),
      errorMessage: clip(form.ErrorMessage, 500),
      payload: ledgerPayload(form),
      idempotencyKey: `dial:${digest}`,
    });
    return xml(emptyTwiml());
  });

  return app;
}
