// Test helper: a small in-process HTTP server playing the backend's /api/sim and /api/twilio/token routes.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimDeviceEvent } from '../../../shared/api.js';

export const AGENT_TOKEN = 'agent-access-token';

export interface FakeBackend {
  url: string;
  dials: Record<string, unknown>[];
  digits: { callSid: string; digits: string }[];
  mutes: { callSid: string; muted: boolean }[];
  hangups: string[];
  tokenRequests: number;
  /** Sends one simulated-device event to every open /api/sim/events stream. */
  push(event: SimDeviceEvent): void;
  /** Runs before POST /api/sim/calls answers (to send events that beat the answer). */
  beforeDialAnswer: ((callSid: string) => void | Promise<void>) | null;
  /** What POST /api/twilio/token answers with next; defaults to a fresh token. */
  nextTokenStatus: number;
  /** The backend's record of calls, as GET /api/calls answers (newest first). */
  recorded: Array<{ twilioCallSid: string | null; status: string; errorMessage?: string | null; toNumber?: string }>;
  /** Every POST /api/softphone/registration's `registered`, in order (refused ones too). */
  registrations: boolean[];
  /** How many registrations to refuse with a 503 before accepting them. */
  refuseRegistrations: number;
  openStreams(): number;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text === '' ? undefined : JSON.parse(text);
}

export async function startFakeBackend(): Promise<FakeBackend> {
  const streams = new Set<ServerResponse>();
  let calls = 0;
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const backend: FakeBackend = {
    url: '',
    dials: [],
    digits: [],
    mutes: [],
    hangups: [],
    tokenRequests: 0,
    beforeDialAnswer: null,
    nextTokenStatus: 200,
    recorded: [],
    registrations: [],
    refuseRegistrations: 0,
    push(event) {
      for (const res of streams) res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    },
    openStreams: () => streams.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of streams) res.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer((req, res) => {
    void (async () => {
      if (req.headers.authorization !== `Bearer ${AGENT_TOKEN}`) return json(res, 401, { error: { code: 'unauthorized', message: 'Sign in first' } });
      const url = new URL(req.url ?? '/', 'http://x');
      const body = (await readBody(req)) as Record<string, unknown> | undefined;
      if (req.method === 'GET' && url.pathname === '/api/sim/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write(': open\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      }
      if (req.method === 'POST' && url.pathname === '/api/twilio/token') {
        backend.tokenRequests += 1;
        if (backend.nextTokenStatus !== 200) return json(res, backend.nextTokenStatus, { error: { code: 'token_failed', message: 'Token refused' } });
        return json(res, 200, { token: `voice-token-${backend.tokenRequests}`, identity: 'agent_1', expiresAt: new Date(Date.now() + 3600_000).toISOString() });
      }
      if (req.method === 'POST' && url.pathname === '/api/sim/calls') {
        calls += 1;
        const callSid = `CAsim${calls}`;
        backend.dials.push(body ?? {});
        await backend.beforeDialAnswer?.(callSid);
        return json(res, 200, { callSid });
      }
      if (req.method === 'POST' && url.pathname === '/api/softphone/registration') {
        backend.registrations.push(body?.registered === true);
        if (backend.refuseRegistrations > 0) {
          backend.refuseRegistrations -= 1;
          return json(res, 503, { error: { code: 'unavailable', message: 'The database is busy.' } });
        }
        return json(res, 200, { registered: body?.registered === true, until: null, renewAfterSeconds: 100 });
      }
      if (req.method === 'GET' && url.pathname === '/api/calls') {
        const calls = backend.recorded.map((r, i) => ({
          id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          direction: 'outbound',
          status: r.status,
          fromNumber: null,
          toNumber: r.toNumber ?? null,
          contactName: null,
          assignedTo: null,
          agentName: null,
          twilioCallSid: r.twilioCallSid,
          dialCallSid: null,
          pageUrl: null,
          pageTitle: null,
          createdAt: new Date().toISOString(),
          answeredAt: null,
          endedAt: null,
          duration: null,
          errorCode: null,
          errorMessage: r.errorMessage ?? null,
        }));
        return json(res, 200, { calls, nextCursor: null });
      }
      const match = /^\/api\/sim\/calls\/([^/]+)\/(hangup|digits|mute)$/.exec(url.pathname);
      if (req.method === 'POST' && match) {
        const callSid = decodeURIComponent(match[1] ?? '');
        if (match[2] === 'hangup') {
          backend.hangups.push(callSid);
          json(res, 200, { ok: true });
          backend.push({ type: 'disconnect', callSid, status: 'completed' });
          return;
        }
        if (match[2] === 'digits') backend.digits.push({ callSid, digits: String(body?.digits) });
        if (match[2] === 'mute') backend.mutes.push({ callSid, muted: body?.muted === true });
        return json(res, 200, { ok: true });
      }
      json(res, 404, { error: { code: 'not_found', message: 'No such route' } });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  backend.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return backend;
}
