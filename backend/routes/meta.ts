// Unauthenticated facts about this backend: a small page at / saying what it is, health, and the configuration the
// extension needs.
import { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import { rangesToWire } from '../../shared/phone/destination-policy.js';

export function healthRoutes({ config }: AppDeps) {
  return new Hono().get('/', (c) => c.json({ ok: true, mode: { telephony: config.telephony.kind, database: config.database.kind } }));
}

export function configRoutes({ config }: AppDeps) {
  return new Hono().get('/', (c) =>
    c.json({
      telephony: config.telephony.kind,
      database: config.database.kind,
      defaultCountry: config.defaultCountry,
      allowedCountries: config.allowedCountries,
      blockedRanges: rangesToWire(config.blockedRanges),
      ...(config.twilioEdge ? { twilioEdge: config.twilioEdge } : {}),
    }),
  );
}

/** `/`: what this server is and where to go next (a person opening the address in a browser gets a page, not a JSON 404). */
export function rootRoutes({ config }: AppDeps) {
  const demo = config.telephony.kind === 'simulated';
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Click-to-call backend</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#202124;background:#fff}a{color:#1967d2}code{background:#f1f3f4;padding:0 .2em}
@media (prefers-color-scheme: dark){body{color:#e8eaed;background:#202124}a{color:#8ab4f8}code{background:#3c4043}}</style></head>
<body><h1>Click-to-call backend</h1>
<p>This server mints Twilio Voice tokens for the Click-to-call browser extension, answers Twilio's webhooks and keeps the call history (${config.telephony.kind === 'simulated' ? 'simulated Twilio' : 'Twilio'}, ${config.database.kind} database).</p>
${demo ? '<p><a href="/demo">Open the demo page</a>: hover a phone number and click <strong>Call</strong>.</p>' : ''}
<p>Point the extension's options at this address, then sign in from its popup. Health: <a href="/health"><code>/health</code></a>.</p>
</body></html>`;
  return new Hono().get('/', (c) => c.html(page));
}
