// The demo's webhook receiver (`npm start`): /demo/webhooks shows each delivery as a CRM would receive it and whether its
// signature verified with the standardwebhooks library; on the demo's first start an endpoint points the Demo organization at it.
import type { Hono } from 'hono';
import { Webhook } from 'standardwebhooks';
import type { AppDeps } from '../app.js';
import type { SqlClient } from '../db/sql-client.js';
import { requestBodyLimit } from '../http/body-limit.js';
import { CALL_WEBHOOK_EVENTS } from '../webhooks/webhook-payload.js';
import { newWebhookSecret } from '../webhooks/webhook-sender.js';

export const DEMO_RECEIVER_PATH = '/demo/webhooks/receive';
const KEEP = 50;

interface Received {
  receivedAt: string;
  id: string;
  type: string;
  verified: boolean;
  problem: string | null;
  body: string;
}

/**
 * Mounts the receiver and its page. `secretOf` finds the signing secret of the endpoint whose URL is the receiver's —
 * what a CRM's own receiver would have been given at set-up.
 */
export function mountDemoWebhookReceiver(app: Hono, secretOf: (url: string) => Promise<string | null>, receiverUrl: () => string): void {
  const received: Received[] = [];
  // The root app's own route, outside the sub-apps that limit bodies (app.ts), so it limits its own.
  app.post(DEMO_RECEIVER_PATH, requestBodyLimit(), async (c) => {
    const body = await c.req.text();
    const headers = { 'webhook-id': c.req.header('webhook-id') ?? '', 'webhook-timestamp': c.req.header('webhook-timestamp') ?? '', 'webhook-signature': c.req.header('webhook-signature') ?? '' };
    let verified = false;
    let problem: string | null = null;
    let type = '';
    try {
      const secret = await secretOf(receiverUrl());
      if (!secret) throw new Error('No endpoint of this server points here, so there is no secret to verify with.');
      const payload = new Webhook(secret).verify(body, headers) as { type?: unknown };
      verified = true;
      type = typeof payload.type === 'string' ? payload.type : '';
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    received.unshift({ receivedAt: new Date().toISOString(), id: headers['webhook-id'].slice(0, 100), type: type.slice(0, 40), verified, problem, body: body.slice(0, 8000) });
    received.length = Math.min(received.length, KEEP);
    return verified ? c.json({ ok: true }) : c.json({ ok: false, error: problem }, 401);
  });
  app.get('/demo/webhooks/received', (c) => c.json({ received }));
  app.get('/demo/webhooks', (c) => c.html(PAGE));
}

/** On the demo's first start: an endpoint of the Demo organization to the receiver, every event; returns its URL. */
export async function addDemoWebhookEndpoint(deps: AppDeps, organizationId: string, url: string): Promise<string | null> {
  if (!deps.webhooks) return null;
  await deps.webhooks.store.addEndpoint(organizationId, {
    url,
    events: [...CALL_WEBHOOK_EVENTS],
    description: 'The demo receiver: open /demo/webhooks to watch deliveries arrive.',
    secret: newWebhookSecret(),
  });
  return url;
}

/** The secret of the endpoint with this URL, read from the embedded database (cached briefly; rotation shows within 2 s). */
export function embeddedSecretOf(db: () => SqlClient | undefined): (url: string) => Promise<string | null> {
  let cached: { url: string; secret: string | null; at: number } | null = null;
  return async (url) => {
    if (cached && cached.url === url && Date.now() - cached.at < 2000) return cached.secret;
    const client = db();
    if (!client) return null;
    const { rows } = await client.query<{ secret: string }>('select secret from public.webhook_endpoints where url = $1 order by created_at desc limit 1', [url]);
    cached = { url, secret: rows[0]?.secret ?? null, at: Date.now() };
    return cached.secret;
  };
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Webhook receiver · click-to-call demo</title>
<style>
  :root { font-family: system-ui, sans-serif; color: #1f2933; background: #f5f7fa; }
  body { margin: 0; }
  header { background: #243b53; color: #fff; padding: 12px 24px; }
  header h1 { font-size: 18px; margin: 0; }
  main { padding: 16px 24px; }
  section { background: #fff; border-radius: 8px; padding: 16px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  table { border-collapse: collapse; width: 100%; font-size: 14px; }
  th, td { text-align: left; padding: 8px; border-bottom: 1px solid #e4e7eb; vertical-align: top; }
  th { color: #616e7c; font-weight: 600; }
  .ok { color: #1f7a3f; font-weight: 600; } .bad { color: #b42318; font-weight: 600; }
  pre { margin: 4px 0 0; white-space: pre-wrap; word-break: break-all; font-size: 12px; background: #f0f4f8; padding: 8px; border-radius: 6px; max-height: 16em; overflow: auto; }
  .muted { color: #7b8794; font-size: 13px; }
  code { background: #f0f4f8; padding: 1px 4px; border-radius: 4px; }
</style>
</head>
<body>
<header><h1>Your CRM's webhook receiver (demo)</h1></header>
<main>
<section>
  <p class="muted">Every call you make from the <a href="/demo">demo page</a> is handed to this receiver as signed webhooks
  (Standard Webhooks: <code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>), and each is verified here with the
  <code>standardwebhooks</code> library, as your CRM or automation would. Manage endpoints in the extension's options (admins) or with
  <code>npm run webhooks:add</code>.</p>
  <table>
    <thead><tr><th>Received</th><th>Event</th><th>Signature</th><th>Payload</th></tr></thead>
    <tbody id="rows"><tr><td colspan="4" class="muted">Nothing yet: place a call from the demo page.</td></tr></tbody>
  </table>
</section>
</main>
<script>
  const rows = document.getElementById('rows');
  function cell(text, className) { const td = document.createElement('td'); td.textContent = text; if (className) td.className = className; return td; }
  async function refresh() {
    try {
      const { received } = await (await fetch('/demo/webhooks/received')).json();
      if (received.length === 0) return;
      rows.replaceChildren(...received.map((r) => {
        const tr = document.createElement('tr');
        tr.append(cell(new Date(r.receivedAt).toLocaleTimeString()));
        const event = cell(r.type || '(unreadable)');
        const id = document.createElement('div'); id.className = 'muted'; id.textContent = r.id; event.append(id);
        tr.append(event);
        tr.append(cell(r.verified ? 'verified' : 'NOT verified: ' + (r.problem || ''), r.verified ? 'ok' : 'bad'));
        const payload = document.createElement('td'); const pre = document.createElement('pre');
        try { pre.textContent = JSON.stringify(JSON.parse(r.body), null, 2); } catch { pre.textContent = r.body; }
        payload.append(pre); tr.append(payload);
        return tr;
      }));
    } catch { /* the server restarts: try again */ }
  }
  refresh();
  setInterval(refresh, 1000);
</script>
</body>
</html>`;
