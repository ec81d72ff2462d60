// The request body limit over real HTTP: a declared Content-Length over the limit, a chunked body over it, and bodies under it.
import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from './body-limit.js';
import { createTestBackend, type TestBackend } from '../../test/support/backend/test-backend.js';

let t: TestBackend;
let server: ServerType;
let port: number;
beforeAll(async () => {
  t = await createTestBackend();
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: (req) => t.app.fetch(req), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await t.close();
});

/** POSTs `chunks` as one body: with its Content-Length, or chunked (Transfer-Encoding) when `chunked`. */
function post(chunks: string[], chunked: boolean): Promise<{ status: number; body: string }> {
  const total = chunks.reduce((n, c) => n + Buffer.byteLength(c), 0);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/api/twilio/outbound-events?callId=00000000-0000-0000-0000-000000000000',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(chunked ? {} : { 'content-length': String(total) }) } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('request body limit', () => {
  const big = Array.from({ length: 10 }, () => 'x'.repeat(Math.ceil(MAX_BODY_BYTES / 8)));
  it.each([false, true])('refuses a body over the limit with 413 (chunked: %s)', async (chunked) => {
    const res = await post(['To=', ...big], chunked);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'payload-too-large' } });
  });
  it.each([false, true])('lets a body under the limit through to the route (chunked: %s)', async (chunked) => {
    // Unsigned: the route itself answers 403, which shows the limit let it pass.
    const res = await post(['CallStatus=ringing&', 'To=', 'y'.repeat(1000)], chunked);
    expect(res.status).toBe(403);
  });
});
