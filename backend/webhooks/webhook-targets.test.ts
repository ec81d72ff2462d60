// Which webhook targets are refused: schemes, private and special ranges (also behind a host name), credentials in URLs.
import type { LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkEndpointUrl, guardedLookup } from './webhook-targets.js';

const production = { allowPrivateTargets: false, allowLoopbackHttp: false };
const demo = { allowPrivateTargets: true, allowLoopbackHttp: true };

describe('endpoint URLs', () => {
  it('accepts public https endpoints', () => {
    expect(checkEndpointUrl('https://hooks.zapier.com/hooks/catch/1/abc/', production).hostname).toBe('hooks.zapier.com');
    expect(checkEndpointUrl('https://8.8.8.8/hook', production).hostname).toBe('8.8.8.8');
  });

  it.each([
    'http://hooks.example.com/x', 'ftp://example.com/', 'https://10.0.0.5/hook', 'https://192.168.1.1/', 'https://172.16.3.4/',
    'https://127.0.0.1:8443/', 'https://169.254.169.254/latest/meta-data/', 'https://[::1]/', 'https://[fe80::1]/', 'https://[fd00::1]/',
    'https://[::ffff:10.0.0.1]/', 'https://100.64.0.1/', 'https://0.0.0.0/', 'https://localhost/', 'https://user:pw@example.com/', 'not a url',
  ])('refuses %s in production', (url) => {
    expect(() => checkEndpointUrl(url, production)).toThrow(/https|public|absolute|password/);
  });

  it('allows http only to loopback, and only in the demo', () => {
    expect(checkEndpointUrl('http://127.0.0.1:3003/demo/webhooks/receive', demo).port).toBe('3003');
    expect(() => checkEndpointUrl('http://10.0.0.5/hook', demo)).toThrow(/https/);
    expect(() => checkEndpointUrl('http://127.0.0.1:3003/x', production)).toThrow(/https/);
  });
});

describe('the delivery\'s DNS lookup', () => {
  const resolvingTo = (address: string): LookupFunction =>
    ((_host: string, _options: unknown, cb: (e: null, a: Array<{ address: string; family: number }>) => void) => cb(null, [{ address, family: address.includes(':') ? 6 : 4 }])) as unknown as LookupFunction;
  const run = (lookup: LookupFunction) =>
    new Promise<{ error: Error | null; address: unknown }>((resolve) => lookup('crm.example.com', {}, (error, address) => resolve({ error, address })));

  it('refuses a host name that resolves to a private, loopback or link-local address', async () => {
    for (const address of ['10.1.2.3', '127.0.0.1', '169.254.169.254', '::1', '::ffff:192.168.0.1']) {
      const { error } = await run(guardedLookup(production, resolvingTo(address)));
      expect(error?.message).toMatch(/not a public internet address/);
    }
  });

  it('passes a public address through (the one connected to), and anything when private targets are allowed', async () => {
    expect(await run(guardedLookup(production, resolvingTo('93.184.216.34')))).toEqual({ error: null, address: '93.184.216.34' });
    expect(await run(guardedLookup(demo, resolvingTo('10.1.2.3')))).toEqual({ error: null, address: '10.1.2.3' });
  });
});
