// One delivery over real HTTPS: signed so that the standardwebhooks library verifies it, refused when the host name
// resolves to a private address (checked at connection time, on every delivery), bounded in time and in what it reads.
import { createServer } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/support/backend/webhook-receiver.js';
import { createWebhookSender, MAX_RESPONSE_BYTES, newWebhookSecret } from './webhook-sender.js';
import type { ClaimedDelivery } from './webhook-store.js';

let receiver: WebhookReceiver;
let ca: string;
const secret = newWebhookSecret();
let resolvedAddress = '127.0.0.1';
const lookups: string[] = [];
// Stands in for DNS: crm.example.test resolves to whatever the test says at the time.
const lookup = ((host: string, _options: unknown, cb: (e: null, a: Array<{ address: string; family: number }>) => void) => {
  lookups.push(host);
  cb(null, [{ address: resolvedAddress, family: 4 }]);
}) as unknown as LookupFunction;

beforeAll(async () => {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'crm.example.test' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'crm.example.test' }] }],
  });
  ca = pems.cert;
  receiver = await startWebhookReceiver({ tls: { key: pems.private, cert: pems.cert }, host: 'crm.example.test' });
  receiver.setSecret(secret);
});
afterAll(() => receiver.close());

const delivery = (url: string): ClaimedDelivery => ({
  deliveryId: 1, attempt: 1, endpointId: 'e', url, secret, eventId: '5a4f1f5e-8d0c-4f47-9d59-7a3f0f5d2c11', type: 'ping',
  data: { endpointId: 'e', message: 'hello' }, eventCreatedAt: new Date().toISOString(),
});

describe('sending a webhook', () => {
  it('delivers a body the standardwebhooks library verifies, with a webhook-id stable per event', async () => {
    const sender = createWebhookSender({ policy: { allowPrivateTargets: true, allowLoopbackHttp: false }, timeoutMs: 5000, connectionsPerOrigin: 2, lookup, ca });
    try {
      const first = await sender.send(delivery(receiver.url));
      const again = await sender.send(delivery(receiver.url));
      expect(first).toMatchObject({ ok: true, statusCode: 200, error: null });
      expect(again.ok).toBe(true);
      const [a, b] = receiver.received.slice(-2);
      expect(a!.verified && b!.verified).toBe(true);
      expect(a!.id).toBe('msg_5a4f1f5e8d0c4f479d597a3f0f5d2c11');
      expect(b!.id).toBe(a!.id);
      expect(JSON.parse(a!.body)).toMatchObject({ type: 'ping', data: { message: 'hello' } });
      expect(Object.keys(JSON.parse(a!.body))).toEqual(['type', 'timestamp', 'data']);
    } finally {
      await sender.close();
    }
  });

  it('refuses, in production, a host name that resolves to a private or loopback address, before connecting', async () => {
    const sender = createWebhookSender({ policy: { allowPrivateTargets: false, allowLoopbackHttp: false }, timeoutMs: 5000, connectionsPerOrigin: 2, lookup, ca });
    const before = receiver.received.length;
    try {
      for (const address of ['127.0.0.1', '10.0.0.7', '169.254.169.254', '192.168.1.20']) {
        resolvedAddress = address;
        lookups.length = 0;
        const result = await sender.send(delivery(receiver.url));
        expect(result.ok).toBe(false);
        expect(result.error).toMatch(new RegExp(`crm\\.example\\.test resolves to ${address.replaceAll('.', '\\.')} .*not a public internet address`));
        expect(lookups).toEqual(['crm.example.test']);
      }
      // An address literal is refused without any lookup.
      const literal = await sender.send(delivery('https://10.1.2.3/hook'));
      expect(literal.error).toMatch(/10\.1\.2\.3 is not a public internet address \(private\)/);
      expect(receiver.received.length).toBe(before);
    } finally {
      resolvedAddress = '127.0.0.1';
      await sender.close();
    }
  });

  it('gives up on an endpoint that does not answer in time, and reads only the start of a large answer', async () => {
    let hold = true;
    const slow = createServer((req, res) => {
      req.resume();
      if (hold) return; // never answers
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('x'.repeat(5_000_000));
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/hook`;
    const sender = createWebhookSender({ policy: { allowPrivateTargets: true, allowLoopbackHttp: true }, timeoutMs: 300, connectionsPerOrigin: 2 });
    try {
      const timedOut = await sender.send(delivery(url));
      expect(timedOut).toMatchObject({ ok: false, statusCode: null, error: 'The endpoint did not answer within 0.3 s.' });
      expect(timedOut.latencyMs).toBeLessThan(2000);
      hold = false;
      const large = await sender.send(delivery(url));
      expect(large.statusCode).toBe(500);
      expect(large.error!.length).toBeLessThan(MAX_RESPONSE_BYTES);
      expect(large.error).toMatch(/^The endpoint answered 500: x+$/);
    } finally {
      await sender.close();
      slow.closeAllConnections();
      slow.close();
    }
  });
});
