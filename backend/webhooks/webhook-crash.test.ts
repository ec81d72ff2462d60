// The server killed (SIGKILL) with webhook deliveries pending: after a restart on the same data they are all delivered,
// each event at least once and, being acknowledged once, exactly once. The endpoint is added with npm run webhooks:add
// against the running server, whose signing secret is the command's last line.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateSecrets } from '../secrets.js';
import { startChildServer, type ChildServer } from '../../test/support/backend/child-process-server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/support/backend/webhook-receiver.js';
import { identityForAgent } from '../twilio/agent-identity.js';
import { twilioSignature } from '../twilio/request-signature.js';

const PASSWORD = 'crash-webhooks-1';
const CALLS = 12;
let dataDir = '';
let receiver: WebhookReceiver | undefined;
const servers: ChildServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop('SIGKILL').catch(() => undefined);
  await receiver?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const cli = (args: string[], env: Record<string, string>) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'backend/cli/webhooks.ts', ...args], { env: { ...process.env, ...env } }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );

async function waitFor(what: string, check: () => boolean, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('webhooks across a crash', () => {
  it('delivers what was pending when the server was killed, after it restarts', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'c2c-webhook-crash-'));
    const secrets = await loadOrCreateSecrets(dataDir);
    const env = { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_PASSWORD: PASSWORD, RATE_LIMIT_CALLS: '1000', WEBHOOK_POLL_MS: '100', WEBHOOK_RETRY_BASE_SECONDS: '0.5', WEBHOOK_TIMEOUT_SECONDS: '2' };
    let server = await startChildServer('backend/main.ts', env, { timeoutMs: 90_000 });
    servers.push(server);
    receiver = await startWebhookReceiver();

    const usage = await cli(['add', '--org', 'Demo'], { DATA_DIR: dataDir, SERVER_URL: server.url });
    expect(usage.code).toBe(1);
    expect(usage.err).toMatch(/^--url is missing\. Usage: npm run webhooks:add/);
    const refused = await cli(['add', '--org', 'Demo', '--url', 'http://10.0.0.8/hook'], { DATA_DIR: dataDir, SERVER_URL: server.url });
    expect(refused).toMatchObject({ code: 1, err: 'The endpoint must use https:// (http:// is allowed only for this machine, in the demo).\n' });
    const added = await cli(['add', '--org', 'Demo', '--url', receiver.url, '--events', 'call.started,call.completed'], { DATA_DIR: dataDir, SERVER_URL: server.url });
    expect(added.code).toBe(0);
    const lines = added.out.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    receiver.setSecret(lines.at(-1)!);
    expect((await cli(['list', '--org', 'Demo'], { DATA_DIR: dataDir, SERVER_URL: server.url })).out).toMatch(/enabled +http:\/\/127\.0\.0\.1:\d+\/hooks\/crm\n {4}events: call\.started, call\.completed/);
    const ping = await cli(['test', '--org', 'Demo'], { DATA_DIR: dataDir, SERVER_URL: server.url });
    expect(ping.out).toMatch(/ping delivered \(200, \d+ ms\)/);
    expect(receiver.accepted().map((h) => h.type)).toEqual(['ping']);

    // The receiver goes away; calls keep being made and acknowledged to Twilio.
    await receiver.unlisten();
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'demo@example.com', password: PASSWORD }) });
    const agentId = ((await login.json()) as { agent: { id: string } }).agent.id;
    const post = async (pathAndQuery: string, form: Record<string, string>) => {
      const res = await fetch(`${server.url}${pathAndQuery}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(secrets.simAuthToken, `${server.url}${pathAndQuery}`, form) },
        body: new URLSearchParams(form).toString(),
      });
      expect(res.status).toBeLessThan(300);
      return res.text();
    };
    const callIds: string[] = [];
    for (let i = 0; i < CALLS; i++) {
      const callSid = `CA${randomBytes(16).toString('hex')}`;
      const twiml = await post('/api/twilio/outbound', { AccountSid: secrets.simAccountSid, CallSid: callSid, From: `client:${identityForAgent(agentId)}`, To: `+141555501${String(i).padStart(2, '0')}` });
      const callId = /callId=([0-9a-f-]{36})/.exec(twiml)![1]!;
      callIds.push(callId);
      await post(`/api/twilio/outbound-status?callId=${callId}`, { AccountSid: secrets.simAccountSid, CallSid: callSid, DialCallStatus: 'busy' });
    }
    await new Promise((r) => setTimeout(r, 500)); // some attempts fail and are scheduled again
    expect(receiver.accepted().map((h) => h.type)).toEqual(['ping']);
    expect(await server.stop('SIGKILL')).toBe('SIGKILL');

    await receiver.listen();
    server = await startChildServer('backend/main.ts', env, { timeoutMs: 90_000 });
    servers.push(server);
    await waitFor('every pending delivery', () => callIds.every((id) => receiver!.accepted().filter((h) => h.callId === id).length >= 2), 60_000);
    await new Promise((r) => setTimeout(r, 500));
    for (const id of callIds) expect(receiver.accepted().filter((h) => h.callId === id).map((h) => h.type)).toEqual(['call.started', 'call.completed']);
    const ids = receiver.accepted().map((h) => h.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(receiver.received.every((h) => h.verified)).toBe(true);
    await server.stop('SIGTERM');
  }, 180_000);
});
