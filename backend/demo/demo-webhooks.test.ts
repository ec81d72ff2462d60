// `npm start`'s demo hands each call to its own receiver with no set-up: /demo/webhooks shows the deliveries verified.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildServer, type ChildServer } from '../../test/support/backend/child-process-server.js';

let dataDir = '';
let server: ChildServer | undefined;
afterAll(async () => {
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface Received { type: string; verified: boolean; body: string }

describe('the demo\'s webhook receiver', () => {
  it('receives a call\'s webhooks, verified, on the first start, and refuses a forged one', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'c2c-demo-webhooks-'));
    server = await startChildServer('backend/main.ts', { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_PASSWORD: 'demo-password-1', SIM_TIME_SCALE: '0.05', WEBHOOK_POLL_MS: '100' }, { args: ['--demo'], timeoutMs: 90_000 });
    const page = await fetch(`${server.url}/demo/webhooks`);
    expect(await page.text()).toContain('webhook receiver');
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'demo@example.com', password: 'demo-password-1' }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const dial = await fetch(`${server.url}/api/sim/calls`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ To: '+14155550000', contactName: 'Demo lead' }) });
    expect(dial.status).toBe(201);
    const until = Date.now() + 60_000;
    let received: Received[] = [];
    while (Date.now() < until) {
      received = ((await (await fetch(`${server.url}/demo/webhooks/received`)).json()) as { received: Received[] }).received;
      if (received.some((r) => r.type === 'call.completed')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(received.map((r) => r.type).reverse()).toEqual(['call.started', 'call.completed']);
    expect(received.every((r) => r.verified)).toBe(true);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ type: 'call.completed', data: { call: { status: 'busy', contactName: 'Demo lead' } } });

    const forged = await fetch(`${server.url}/demo/webhooks/receive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
      body: '{"type":"call.completed","timestamp":"2026-12-01T00:00:00Z","data":{}}',
    });
    expect(forged.status).toBe(401);
    const after = ((await (await fetch(`${server.url}/demo/webhooks/received`)).json()) as { received: Received[] }).received;
    expect(after[0]).toMatchObject({ verified: false });
  }, 150_000);
});
