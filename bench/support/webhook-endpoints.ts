// For bench:webhooks: receivers in the load client's process (a slow one that answers after a delay, fast ones, and one timed) and
// endpoints pointing at them, added and switched on and off over the running server's admin API.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_CLI_ORGANIZATION_HEADER, ADMIN_CLI_TOKEN_HEADER } from '../../backend/admin/admin-cli-token.js';
import { percentile } from './load-client.js';

export interface BenchReceivers {
  url: string;
  /** Deliveries received by path kind. */
  counts: { slow: number; fast: number; ok: number };
  /** Every answered-at-once delivery: its event's time and its lag (received − event timestamp), in ms. */
  lags: Array<{ kind: 'fast' | 'ok'; eventAt: number; lag: number }>;
  close(): Promise<void>;
}

export async function startBenchReceivers(slowMs: number): Promise<BenchReceivers> {
  const counts = { slow: 0, fast: 0, ok: 0 };
  const lags: BenchReceivers['lags'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const kind = req.url?.startsWith('/fast') ? 'fast' : req.url?.startsWith('/ok') ? 'ok' : null;
      if (kind) {
        counts[kind]++;
        try {
          const eventAt = Date.parse((JSON.parse(Buffer.concat(chunks).toString()) as { timestamp: string }).timestamp);
          lags.push({ kind, eventAt, lag: Date.now() - eventAt });
        } catch {
          // Not a webhook: not timed.
        }
        res.writeHead(204).end();
        return;
      }
      counts.slow++;
      setTimeout(() => res.writeHead(204).end(), slowMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    lags,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

export function adminApi(base: string, token: string) {
  return async <T>(organization: string, method: string, pathname: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}/api/admin/webhooks${pathname}`, {
      method,
      headers: { [ADMIN_CLI_TOKEN_HEADER]: token, [ADMIN_CLI_ORGANIZATION_HEADER]: organization, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${pathname} for ${organization}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
}

export const lagFigures = (lags: number[]) => {
  const sorted = [...lags].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
};
