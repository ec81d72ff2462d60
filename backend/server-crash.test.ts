// The server process killed (SIGKILL) in the middle of a webhook burst, then restarted on the same data: no half-written call, every acknowledged event kept.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isTerminal, type CallStatus } from '../shared/call-status.js';
import { openEmbeddedDatabase } from './db/embedded-database.js';
import { loadOrCreateSecrets } from './secrets.js';
import { addBulkAgents } from '../test/support/backend/bulk-agents.js';
import { startChildServer, type ChildServer } from '../test/support/backend/child-process-server.js';
import { identityForAgent } from './twilio/agent-identity.js';
import { signedContentDigest, twilioSignature } from './twilio/request-signature.js';

const CALLS = 120;
const CONCURRENCY = 16;
const sid = () => `CA${randomBytes(16).toString('hex')}`;

interface Hook {
  kind: 'voice' | 'event' | 'dial';
  callSid: string;
  path: string;
  form: Record<string, string>;
  /** The ledger's idempotency key for callbacks (as the route builds it). */
  key?: string;
}

let dataDir: string;
const servers: ChildServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop('SIGKILL').catch(() => undefined);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function send(base: string, authToken: string, hook: Hook): Promise<{ status: number; body: string }> {
  const res = await fetch(`${base}${hook.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(authToken, `${base}${hook.path}`, hook.form) },
    body: new URLSearchParams(hook.form).toString(),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: await res.text() };
}

/** Sends hooks `CONCURRENCY` at a time; `onAck` sees each 2xx answer. Requests to a dead server count as not acknowledged. */
async function burst(base: string, authToken: string, hooks: Hook[], onAck: (hook: Hook, body: string) => void) {
  let next = 0;
  const worker = async () => {
    while (next < hooks.length) {
      const hook = hooks[next++]!;
      const res = await send(base, authToken, hook).catch(() => null);
      if (res && res.status >= 200 && res.status < 300) onAck(hook, res.body);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

describe('a server killed mid-burst', () => {
  it('restarts with every acknowledged event in the ledger and every call consistent with its ledger', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'c2c-crash-'));
    const secrets = await loadOrCreateSecrets(dataDir);
    const agents = await addBulkAgents(dataDir, CALLS, { password: 'crash-password-1', prefix: 'crash' });
    const env = { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_PASSWORD: 'crash-password-1', RATE_LIMIT_CALLS: '1000' };

    let server = await startChildServer('backend/main.ts', env);
    servers.push(server);
    const base = server.url;
    const calls = agents.map((agentId) => ({ agentId, callSid: sid(), child: sid(), callId: '' }));

    // Every call's Voice URL request first (acknowledged before the kill), so the callbacks have calls to land on.
    const voice: Hook[] = calls.map((c) => ({
      kind: 'voice',
      callSid: c.callSid,
      path: '/api/twilio/outbound',
      form: { AccountSid: secrets.simAccountSid, CallSid: c.callSid, From: `client:${identityForAgent(c.agentId)}`, To: '+14155550100' },
    }));
    await burst(base, secrets.simAuthToken, voice, (hook, body) => {
      calls.find((c) => c.callSid === hook.callSid)!.callId = /callId=([0-9a-f-]{36})/.exec(body)![1]!;
    });
    expect(calls.every((c) => c.callId)).toBe(true);

    const callbacks: Hook[] = [];
    for (const c of calls) {
      for (const [seq, status] of ['initiated', 'ringing', 'in-progress', 'completed'].entries()) {
        const form: Record<string, string> = { AccountSid: secrets.simAccountSid, CallSid: c.child, CallStatus: status, SequenceNumber: String(seq), Timestamp: 'Tue, 24 Nov 2026 12:00:0' + seq + ' +0000' };
        if (status === 'completed') form.CallDuration = '30';
        callbacks.push({ kind: 'event', callSid: c.callSid, path: `/api/twilio/outbound-events?callId=${c.callId}`, form, key: `events:${signedContentDigest(`/api/twilio/outbound-events?callId=${c.callId}`, form)}` });
      }
      const dialForm = { AccountSid: secrets.simAccountSid, CallSid: c.callSid, DialCallSid: c.child, DialCallStatus: 'completed', DialCallDuration: '30' };
      callbacks.push({
        kind: 'dial',
        callSid: c.callSid,
        path: `/api/twilio/outbound-status?callId=${c.callId}`,
        form: dialForm,
        key: `dial:${signedContentDigest(`/api/twilio/outbound-status?callId=${c.callId}`, dialForm)}`,
      });
    }
    // Interleave the calls' callbacks so that the kill lands in the middle of many calls at once.
    callbacks.sort((a, b) => (a.key! < b.key! ? -1 : 1));

    const acknowledged = new Set<string>();
    const killAfter = Math.floor(callbacks.length * 0.4);
    let killed: Promise<unknown> | null = null;
    await burst(base, secrets.simAuthToken, callbacks, (hook) => {
      acknowledged.add(hook.key!);
      if (acknowledged.size >= killAfter && !killed) killed = server.stop('SIGKILL');
    });
    expect(await killed).toBe('SIGKILL');
    expect(acknowledged.size).toBeGreaterThanOrEqual(killAfter);
    expect(acknowledged.size).toBeLessThan(callbacks.length);

    // Restart on the same data: it comes up, and what it says it stored is there.
    server = await startChildServer('backend/main.ts', env);
    servers.push(server);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    await server.stop('SIGTERM');

    const db = await openEmbeddedDatabase(dataDir);
    try {
      const { rows: keys } = await db.query<{ idempotency_key: string }>('select idempotency_key from public.call_events');
      const stored = new Set(keys.map((k) => k.idempotency_key));
      const missing = [...acknowledged].filter((k) => !stored.has(k));
      expect(missing).toEqual([]);

      // No half-written call: each call's row is exactly what its ledger says.
      // The ledger's highest-ranked status, by the database's own ranks (a call starts initiated).
      const { rows } = await db.query<{ id: string; status: CallStatus; ended_at: Date | null; duration: number | null; top: CallStatus }>(
        `select c.id, c.status, c.ended_at, c.duration,
           coalesce((select e.status from public.call_events e where e.call_id = c.id and e.status is not null
                     order by public.call_status_rank(e.status) desc nulls last limit 1), 'initiated') as top
         from public.calls c where c.twilio_call_sid = any($1)`,
        [calls.map((c) => c.callSid)],
      );
      expect(rows).toHaveLength(CALLS);
      const inconsistent = rows.filter((r) => r.status !== r.top || (r.ended_at !== null) !== isTerminal(r.top));
      expect(inconsistent).toEqual([]);
    } finally {
      await db.close();
    }

    // Twilio retries what was not acknowledged: afterwards every call is complete, each event once.
    server = await startChildServer('backend/main.ts', env);
    servers.push(server);
    const failed: string[] = [];
    await burst(server.url, secrets.simAuthToken, callbacks, () => undefined);
    for (const hook of callbacks) {
      const res = await send(server.url, secrets.simAuthToken, hook);
      if (res.status >= 300) failed.push(`${hook.key}: ${res.status}`);
    }
    expect(failed).toEqual([]);
    await server.stop('SIGTERM');
    const after = await openEmbeddedDatabase(dataDir);
    try {
      const { rows } = await after.query<{ status: string; duration: number; events: number }>(
        `select c.status, c.duration, (select count(*)::int from public.call_events e where e.call_id = c.id) as events
         from public.calls c where c.twilio_call_sid = any($1)`,
        [calls.map((c) => c.callSid)],
      );
      expect(rows.filter((r) => r.status !== 'completed' || r.duration !== 30 || r.events !== 5)).toEqual([]);
    } finally {
      await after.close();
    }
  }, 120_000);
});
