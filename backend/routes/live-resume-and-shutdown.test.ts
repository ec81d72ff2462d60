// A live stream that reconnects with Last-Event-ID gets what it missed (or is told to resync), and a server that
// shuts down gracefully says so on every open stream before it goes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent, SimDeviceEvent } from '../../shared/api.js';
import { loadConfig } from '../config.js';
import { silentLogger } from '../logger.js';
import { startBackend, type RunningBackend } from '../server.js';
import { openSse } from '../../test/support/backend/sse-client.js';

const PASSWORD = 'demo-password-1';
let backend: RunningBackend;
let dataDir: string;
let token: string;

async function api<T>(method: string, route: string, body?: unknown): Promise<T> {
  const res = await fetch(`${backend.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return (await res.json()) as T;
}

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'c2c-resume-'));
  backend = await startBackend(loadConfig({ PORT: '0', DATA_DIR: dataDir, DEMO_PASSWORD: PASSWORD, LOG_LEVEL: 'silent' }), { logger: silentLogger, telephony: { timeScale: 0.02 } });
  const res = await fetch(`${backend.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'demo@example.com', password: PASSWORD }) });
  token = ((await res.json()) as { accessToken: string }).accessToken;
});
afterAll(async () => {
  await backend?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('live updates across a reconnect', () => {
  it('replays, in order, the events sent while the reader was away, then goes on live', async () => {
    const first = await openSse<LiveEvent>(`${backend.url}/api/events`, token);
    const { callSid } = await api<{ callSid: string }>('POST', '/api/sim/calls', { To: '+14155550130' });
    await first.next((e) => e.type === 'call' && e.call.status === 'in-progress');
    const lastSeen = first.raw.at(-1)!;
    expect(lastSeen.id).toMatch(/\.\d+$/);
    first.close();

    // Away: the call ends, and the agent's presence changes back.
    await api('POST', `/api/sim/calls/${callSid}/hangup`);
    const back = await openSse<LiveEvent>(`${backend.url}/api/events`, token, { lastEventId: lastSeen.id });
    await back.next((e) => e.type === 'presence' && e.agent.status === 'available');
    expect(back.raw.some((r) => r.event === 'resync')).toBe(false);
    const statuses = back.events.filter((e) => e.type === 'call').map((e) => (e.type === 'call' ? e.call.status : ''));
    expect(statuses.at(-1)).toBe('completed');
    // Each replayed event once, with increasing ids.
    const ids = back.raw.map((r) => Number(r.id!.split('.').at(-1)));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(Math.min(...ids)).toBeGreaterThan(Number(lastSeen.id!.split('.').at(-1)));
    back.close();
  });

  it('tells a reader whose last id it cannot answer for to resync', async () => {
    const stranger = await openSse<LiveEvent>(`${backend.url}/api/events`, token, { lastEventId: 'an-earlier-server.41' });
    await until(() => stranger.raw.length > 0, 'the resync event');
    expect(stranger.raw[0]).toMatchObject({ event: 'resync' });
    stranger.close();
  });
});

describe('a graceful shutdown', () => {
  it('ends every open stream with a last event saying the server is closing', async () => {
    const live = await openSse<LiveEvent>(`${backend.url}/api/events`, token);
    const device = await openSse<SimDeviceEvent>(`${backend.url}/api/sim/events`, token);
    await backend.close();
    for (const stream of [live, device]) {
      await until(() => stream.raw.some((r) => r.event === 'end'), 'the end event');
      expect(stream.raw.find((r) => r.event === 'end')!.data).toBe('{"reason":"server-closing"}');
    }
    backend = undefined as unknown as RunningBackend;
  });
});
