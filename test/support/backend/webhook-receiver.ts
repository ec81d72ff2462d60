// Test helper: a webhook receiver over real HTTP that verifies each delivery with the standardwebhooks library, and can
// be down (503), unreachable (closed) or slow, as a team's CRM endpoint might be.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  id: string;
  type: string;
  callId: string | null;
  status: string | null;
  verified: boolean;
  body: string;
  receivedAt: number;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  /** Every request that reached the receiver, acknowledged or not, in arrival order. */
  received: ReceivedWebhook[];
  /** The ones it acknowledged (2xx), in order. */
  accepted(): ReceivedWebhook[];
  setSecret(secret: string): void;
  /** Answer 503 to everything (true) or accept again (false). */
  setDown(down: boolean): void;
  setDelayMs(ms: number): void;
  /** Stops listening (connections refused) until listen() again on the same port. */
  unlisten(): Promise<void>;
  listen(): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: { port?: number; path?: string; tls?: { key: string; cert: string }; host?: string } = {}): Promise<WebhookReceiver> {
  let secret = '';
  let down = false;
  let delayMs = 0;
  const received: ReceivedWebhook[] = [];
  const acceptedIds: ReceivedWebhook[] = [];
  const path = options.path ?? '/hooks/crm';

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      try {
        new Webhook(secret).verify(body, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      let type = '';
      let callId: string | null = null;
      let status: string | null = null;
      try {
        const parsed = JSON.parse(body) as { type: string; data?: { call?: { id?: string; status?: string } } };
        type = parsed.type;
        callId = parsed.data?.call?.id ?? null;
        status = parsed.data?.call?.status ?? null;
      } catch {
        // Recorded as is.
      }
      const hook = { id: String(req.headers['webhook-id']), type, callId, status, verified, body, receivedAt: Date.now() };
      received.push(hook);
      const answer = () => {
        if (down) {
          res.writeHead(503, { 'content-type': 'text/plain' }).end('Down for maintenance');
          return;
        }
        acceptedIds.push(hook);
        res.writeHead(verified ? 200 : 401, { 'content-type': 'application/json' }).end(verified ? '{"ok":true}' : '{"ok":false}');
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, handle) : createServer(handle);
  server.keepAliveTimeout = 1000;
  let port = options.port ?? 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        server.off('error', reject);
        resolve();
      });
    });
  const unlisten = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  await listen();
  return {
    get url() {
      return `${options.tls ? 'https' : 'http'}://${options.host ?? '127.0.0.1'}:${port}${path}`;
    },
    get port() {
      return port;
    },
    received,
    accepted: () => acceptedIds.filter((h) => h.verified),
    setSecret: (s) => void (secret = s),
    setDown: (d) => void (down = d),
    setDelayMs: (ms) => void (delayMs = ms),
    unlisten,
    listen,
    close: unlisten,
  };
}
