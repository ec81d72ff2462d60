// Sends prepared requests to 127.0.0.1 over a fixed number of keep-alive connections (undici Pool), timing each one.
import { Pool } from 'undici';

export interface PreparedRequest {
  route: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  method?: 'GET' | 'POST';
}

export interface Timed {
  route: string;
  status: number;
  ms: number;
  body: string;
  index: number;
}

export interface LoadClient {
  /** Runs every request, `connections` at a time, and stops by itself at the deadline (what was not sent is reported). */
  run(requests: PreparedRequest[], options: { deadlineMs: number }): Promise<{ results: Timed[]; seconds: number; errors: number; unsent: number }>;
  close(): Promise<void>;
}

/**
 * A load client for one server: the same `connections` keep-alive connections for all its runs (warm-up and every
 * phase), as a steady sender's would be, rather than 50 new ones opened at once at each phase's start.
 */
export function createLoadClient(origin: string, connections: number): LoadClient {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(origin)) throw new Error(`The load goes to 127.0.0.1 only, not ${origin}.`);
  const pool = new Pool(origin, { connections, pipelining: 1 });
  return {
    async run(requests, options) {
      const results: Timed[] = new Array(requests.length);
      let next = 0;
      let errors = 0;
      const deadline = performance.now() + options.deadlineMs;
      const started = performance.now();
      async function worker() {
        while (next < requests.length && performance.now() < deadline) {
          const index = next++;
          const r = requests[index]!;
          const t0 = performance.now();
          try {
            const res = await pool.request({ origin, path: r.path, method: r.method ?? 'POST', headers: r.headers, body: r.body });
            const body = await res.body.text();
            results[index] = { route: r.route, status: res.statusCode, ms: performance.now() - t0, body, index };
          } catch (error) {
            errors++;
            results[index] = { route: r.route, status: 0, ms: performance.now() - t0, body: String(error), index };
          }
        }
      }
      await Promise.all(Array.from({ length: connections }, worker));
      const seconds = (performance.now() - started) / 1000;
      const done = results.filter(Boolean);
      return { results: done, seconds, errors, unsent: requests.length - done.length };
    },
    close: () => pool.close(),
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface RouteFigures {
  route: string;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

/** Per-route figures; requests/s is the route's share of the run's throughput. */
export function figuresByRoute(results: Timed[], seconds: number): RouteFigures[] {
  const routes = [...new Set(results.map((r) => r.route))];
  const all = [...routes, 'all'];
  return all.map((route) => {
    const rs = route === 'all' ? results : results.filter((r) => r.route === route);
    const ms = rs.map((r) => r.ms).sort((a, b) => a - b);
    return {
      route,
      requests: rs.length,
      perSecond: rs.length / seconds,
      p50: percentile(ms, 50),
      p99: percentile(ms, 99),
      non2xx: rs.filter((r) => r.status < 200 || r.status >= 300).length,
    };
  });
}
