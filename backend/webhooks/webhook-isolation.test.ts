// One slow endpoint never holds up another: a fast endpoint on the same host receives its delivery while the slow
// endpoint's deliveries are still hanging, unanswered (not timed: the slow ones hang until the test lets them go).
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ADMIN_CLI_ORGANIZATION_HEADER, ADMIN_CLI_TOKEN_HEADER } from '../admin/admin-cli-token.js';
import { loadConfig } from '../config.js';
import { silentLogger } from '../logger.js';
import { startBackend } from '../server.js';

const dirs: string[] = [];
const open: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 60_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One host, two endpoints: /slow keeps every request waiting until release(); /fast answers at once. */
async function sharedHost() {
  const hanging: ServerResponse[] = [];
  const fast: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/fast') {
        fast.push(String(req.headers['webhook-id']));
        res.writeHead(204).end();
      } else hanging.push(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hanging,
    fast,
    release() {
      for (const res of hanging.splice(0)) res.writeHead(204).end();
    },
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

describe('webhook delivery isolation', () => {
  it('delivers to a fast endpoint while a slow endpoint on the same host has every one of its deliveries hanging', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'c2c-webhook-isolation-'));
    dirs.push(dataDir);
    // Four deliveries at once per endpoint, and a timeout long past the test's wait: the slow ones hang throughout.
    const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_PASSWORD: 'isolation-tests-1', WEBHOOK_POLL_MS: '50', WEBHOOK_TIMEOUT_SECONDS: '60', WEBHOOK_CONCURRENCY_PER_ENDPOINT: '4' });
    const backend = await startBackend(config, { logger: silentLogger });
    open.push(() => backend.close());
    const host = await sharedHost();
    open.push(() => host.close());
    open.push(async () => host.release());
    const admin = async (method: string, pathname: string, body?: unknown) => {
      const res = await fetch(`${backend.url}/api/admin/webhooks${pathname}`, {
        method,
        headers: { [ADMIN_CLI_TOKEN_HEADER]: backend.deps.adminCliToken!, [ADMIN_CLI_ORGANIZATION_HEADER]: 'Demo', ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      expect(res.status).toBeLessThan(300);
      return (await res.json()) as { endpoint: { id: string } };
    };
    const slow = (await admin('POST', '', { url: `${host.url}/slow` })).endpoint.id;
    const fast = (await admin('POST', '', { url: `${host.url}/fast` })).endpoint.id;

    // More slow deliveries than the slow endpoint may have under way: it is full, with a backlog behind it.
    for (let i = 0; i < 8; i++) await admin('POST', `/${slow}/ping`);
    await waitFor('the slow endpoint to hold four deliveries', () => host.hanging.length >= 4);
    await admin('POST', `/${fast}/ping`);
    await waitFor('the fast endpoint\'s delivery', () => host.fast.length >= 1, 20_000);

    // It arrived while every slow delivery was still waiting for its answer, and no more than four of them at once.
    expect(host.hanging.length).toBe(4);
    expect(host.fast).toHaveLength(1);
  }, 120_000);
});
