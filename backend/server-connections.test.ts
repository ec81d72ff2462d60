// Connection hygiene of the HTTP server: a client dribbling its headers is cut off while webhooks and /health are
// served, and connections past MAX_CONNECTIONS are closed as they arrive.
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { silentLogger } from './logger.js';
import { startBackend, type RunningBackend } from './server.js';
import { twilioSignature } from './twilio/request-signature.js';

let backend: RunningBackend;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'c2c-conn-'));
  const config = loadConfig({
    PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_PASSWORD: 'demo-password-1',
    HTTP_HEADERS_TIMEOUT_SECONDS: '1', HTTP_REQUEST_TIMEOUT_SECONDS: '2', MAX_CONNECTIONS: '40',
  });
  backend = await startBackend(config, { logger: silentLogger });
});
afterAll(async () => {
  await backend?.close();
  await rm(dataDir, { recursive: true, force: true });
});


function rawSocket(): Promise<{ socket: Socket; gone: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(backend.url);
    const s = connect(Number(port), hostname, () => resolve({ socket: s, gone }));
    const gone = new Promise<void>((r) => s.once('close', () => r()));
    s.on('error', () => undefined);
    // Reading, so that the server's 408 and end of the connection are seen.
    s.resume();
    s.once('error', reject);
  });
}

async function webhook(): Promise<number> {
  const url = `${backend.url}/api/twilio/outbound`;
  const form = { AccountSid: backend.deps.creds.accountSid, CallSid: 'CA' + '1'.repeat(32), From: 'client:nobody', To: '+14155550100' };
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(backend.deps.creds.authToken, url, form) },
    body: new URLSearchParams(form).toString(),
  });
  await res.text();
  return res.status;
}

describe('connection hygiene', () => {
  it('cuts off clients that never finish their headers, and serves webhooks and /health meanwhile', async () => {
    const slow = await Promise.all(Array.from({ length: 30 }, () => rawSocket()));
    for (const { socket } of slow) socket.write('POST /api/twilio/outbound HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(await webhook()).toBe(200);
    expect((await fetch(`${backend.url}/health`)).status).toBe(200);
    // Every one of them is closed by the server (HTTP_HEADERS_TIMEOUT_SECONDS = 1; the test's own timeout bounds the wait).
    await Promise.all(slow.map((s) => s.gone));
    expect(await webhook()).toBe(200);
  });

  it('closes connections past MAX_CONNECTIONS as they arrive', async () => {
    const held = await Promise.all(Array.from({ length: 40 }, () => rawSocket()));
    // Accepted by the kernel, then closed by the server without an answer.
    const extra = await rawSocket();
    let answered = '';
    extra.socket.on('data', (d: Buffer) => (answered += d.toString()));
    extra.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    await extra.gone;
    expect(answered).toBe('');
    for (const { socket } of held) socket.destroy();
    await Promise.all(held.map((s) => s.gone));
    // Once they are gone, new connections are served again (the server counts them down as they close).
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = await fetch(`${backend.url}/health`).then((r) => r.status, () => 0);
      if (status !== 200) await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(200);
  });
});
