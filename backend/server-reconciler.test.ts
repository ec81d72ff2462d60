// startBackend runs the reconciler on its own timer: a call left open past RECONCILE_AFTER_SECONDS is closed without anyone asking.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallStatusSource } from './calls/call-reconciler.js';
import { loadConfig } from './config.js';
import { silentLogger } from './logger.js';
import { startBackend, type RunningBackend } from './server.js';
import { callSid } from '../test/support/backend/test-backend.js';
import { identityForAgent } from './twilio/agent-identity.js';
import { twilioSignature } from './twilio/request-signature.js';

let backend: RunningBackend | undefined;
let dataDir: string | undefined;
afterAll(async () => {
  await backend?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the reconciler in a running server', () => {
  it('closes a call whose final callback never came, on its own timer', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'c2c-reconcile-'));
    let now = Date.now();
    const asked: string[] = [];
    const source: CallStatusSource = { fetchCallStatus: async (sid) => (asked.push(sid), { status: 'unknown' }) };
    backend = await startBackend(loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_PASSWORD: 'reconcile-pw-1', RECONCILE_AFTER_SECONDS: '10' }), {
      logger: silentLogger,
      clock: { now: () => new Date(now) },
      telephony: { callStatusSource: source },
    });
    const { rows } = await backend.db.query<{ id: string }>('select id from public.voip_users limit 1');
    const sid = callSid();
    const form = { AccountSid: backend.deps.creds.accountSid, CallSid: sid, From: `client:${identityForAgent(rows[0]!.id)}`, To: '+14155550100' };
    const url = `${backend.url}/api/twilio/outbound`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(backend.deps.creds.authToken, url, form) },
      body: new URLSearchParams(form).toString(),
    });
    expect(await res.text()).toMatch(/<Dial /);

    now += 11_000;
    const call = async () => (await backend!.db.query<{ status: string; error_code: string | null }>('select status, error_code from public.calls where twilio_call_sid = $1', [sid])).rows[0];
    await expect.poll(call, { timeout: 9_000, interval: 200 }).toEqual({ status: 'failed', error_code: 'reconciled' });
    expect(asked).toEqual([sid]);
  }, 20_000);
});
