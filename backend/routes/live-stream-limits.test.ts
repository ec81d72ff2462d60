// Live update streams are bounded: per agent and in all (429 with a sentence), a slow reader is dropped, a heartbeat
// flows, and a stream ends when its access token expires or its session is signed out.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent, Session } from '../../shared/api.js';
import { createApp } from '../app.js';
import { createTestBackend, PASSWORD, type TestBackend } from '../../test/support/backend/test-backend.js';

let t: TestBackend;
let server: ServerType;
let base: string;

beforeAll(async () => {
  t = await createTestBackend({ MAX_EVENT_STREAMS: '3', MAX_EVENT_STREAMS_PER_AGENT: '2', EVENT_STREAM_QUEUE: '50' });
  // A short heartbeat, so that the checks it carries (token expiry) run within a test.
  const app = createApp({ ...t.deps, config: { ...t.deps.config, eventStreams: { ...t.deps.config.eventStreams, heartbeatMs: 30 } } });
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: (req) => app.fetch(req), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  (server as unknown as { closeAllConnections(): void }).closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await t.close();
});

async function login(email: string): Promise<Session> {
  const res = await t.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  return (await res.json()) as Session;
}

interface RawStream {
  status: number;
  body: string;
  /** Reads until the text matches (or the stream ends); returns everything read so far. */
  readUntil(pattern: RegExp): Promise<string>;
  /** Reads to the end of the stream: resolves once the server has closed it. */
  finished(): Promise<string>;
  close(): void;
}

async function open(token: string): Promise<RawStream> {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  if (res.status !== 200) return { status: res.status, body: await res.text(), readUntil: async () => '', finished: async () => '', close: () => undefined };
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let done = false;
  const readMore = async () => {
    const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
    if (chunk.done) done = true;
    else text += decoder.decode(chunk.value, { stream: true });
  };
  return {
    status: 200,
    body: '',
    async readUntil(pattern) {
      while (!done && !pattern.test(text)) await readMore();
      return text;
    },
    async finished() {
      while (!done) await readMore();
      return text;
    },
    close: () => controller.abort(),
  };
}

/** The server notices a closed stream a moment after the client goes: try again a bounded number of times. */
async function openEventually(token: string): Promise<RawStream> {
  for (let i = 0; i < 100; i++) {
    const s = await open(token);
    if (s.status === 200) return s;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('The stream never opened again');
}

describe('stream caps', () => {
  it('refuses an agent’s third stream and the server’s fourth with 429 and a sentence, and frees the slot once a stream closes', async () => {
    const alice = (await login('alice@acme.test')).accessToken;
    const bob = (await login('bob@acme.test')).accessToken;
    const eve = (await login('eve@globex.test')).accessToken;
    const a1 = await open(alice);
    const a2 = await open(alice);
    expect([a1.status, a2.status]).toEqual([200, 200]);
    const a3 = await open(alice);
    expect(a3.status).toBe(429);
    expect(JSON.parse(a3.body)).toEqual({
      error: { code: 'too-many-streams', message: 'You already have 2 live update streams open. Close other windows or profiles using the extension, then try again.' },
    });
    const b1 = await open(bob);
    expect(b1.status).toBe(200);
    const e1 = await open(eve);
    expect(e1.status).toBe(429);
    expect(JSON.parse(e1.body).error).toEqual({ code: 'server-busy', message: 'The server has as many live update streams open as it allows. Try again in a minute.' });

    a1.close();
    const again = await openEventually(alice);
    for (const s of [a2, b1, again]) s.close();
  });
});

describe('one stream', () => {
  it('sends a heartbeat while nothing happens', async () => {
    const s = await openEventually((await login('alice@acme.test')).accessToken);
    expect(await s.readUntil(/: keep-alive\n\n/)).toMatch(/^event: ready\n/);
    s.close();
  });

  it('ends, saying why, when its session is signed out', async () => {
    const session = await login('bob@acme.test');
    const s = await openEventually(session.accessToken);
    await s.readUntil(/event: ready/);
    const res = await t.app.request('/api/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: session.refreshToken }) });
    expect(res.status).toBe(204);
    expect(await s.finished()).toMatch(/event: end\ndata: \{"reason":"session-ended"\}\n\n$/);
  });

  it('ends, saying why, when its access token expires', async () => {
    const s = await openEventually((await login('eve@globex.test')).accessToken);
    await s.readUntil(/event: ready/);
    t.clock.advance(16 * 60_000);
    try {
      expect(await s.finished()).toMatch(/event: end\ndata: \{"reason":"token-expired"\}\n\n$/);
    } finally {
      t.clock.advance(-16 * 60_000);
    }
  });

  it('drops a reader that does not keep up instead of buffering for it', async () => {
    const token = (await login('alice@acme.test')).accessToken;
    const slow = await openEventually(token);
    const other = await openEventually(token);
    await slow.readUntil(/event: ready/);
    await other.readUntil(/event: ready/);
    // The agent's two slots are taken by streams that read nothing more while their organization gets many large events:
    // a slot frees up only if the server drops one of them.
    expect((await open(token)).status).toBe(429);
    const big = { type: 'presence', agent: { id: t.agents.alice.id, displayName: 'x'.repeat(64 * 1024), email: 'a@acme.test', status: 'available', currentCallId: null, currentCallPhoneNumber: null } } as LiveEvent;
    let freed: RawStream | null = null;
    for (let round = 0; round < 200 && !freed; round++) {
      for (let i = 0; i < 50; i++) t.deps.live.publish(t.agents.alice.organizationId, big);
      await new Promise((r) => setTimeout(r, 10));
      const next = await open(token);
      if (next.status === 200) freed = next;
    }
    expect(freed).not.toBeNull();
    freed!.close();
    other.close();
    slow.close();
  });
});
