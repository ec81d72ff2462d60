// Unauthenticated facts about this backend: health and the configuration the extension needs.
import { Hono } from 'hono';
import type { AppDeps } from '../app.js';

export function healthRoutes({ config }: AppDeps) {
  return new Hono().get('/', (c) => c.json({ ok: true, mode: { telephony: config.telephony, database: config.database } }));
}

export function configRoutes({ config }: AppDeps) {
  return new Hono().get('/', (c) =>
    c.json({
      telephony: config.telephony,
      database: config.database,
      defaultCountry: config.defaultCountry,
      allowedCountries: config.allowedCountries,
      ...(config.twilioEdge ? { twilioEdge: config.twilioEdge } : {}),
    }),
  );
}
