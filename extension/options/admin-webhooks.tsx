// The options page's admin section: the organization's CRM webhook endpoints (add, test, rotate the secret, disable,
// remove) and recent deliveries; shown only to admins (the backend answers 403 to anyone else, and nothing is shown).
// An endpoint the backend disabled after a long run of failures is called out at the top: why, since when, and the
// button that enables it again.
import { useCallback, useEffect, useState } from 'react';
import { z } from 'zod';
import type { AuthInfo } from '../protocol/extension-messages.js';
import { BackendError, requestJson } from '../lib/backend-client.js';
import { workerAuth } from './admin-auth.js';

const WEBHOOK_EVENTS = ['call.started', 'call.answered', 'call.completed', 'call.wrapped_up'] as const;

const endpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string(),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  /** When it was disabled (by an admin or, after failing, by the backend); older backends leave these out. */
  disabledAt: z.string().nullable().optional(),
  /** Failed deliveries in a row, and since when (reset by a success or by enabling it again). */
  failureRun: z.number().optional(),
  failingSince: z.string().nullable().optional(),
});
const deliverySchema = z.object({
  id: z.number(),
  endpointId: z.string(),
  type: z.string(),
  state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  createdAt: z.string(),
  lastAttempt: z.object({ ok: z.boolean(), statusCode: z.number().nullable(), latencyMs: z.number(), error: z.string().nullable() }).nullable(),
});
export type AdminEndpoint = z.infer<typeof endpointSchema>;
export type AdminDelivery = z.infer<typeof deliverySchema>;
const withSecret = z.object({ endpoint: endpointSchema, secret: z.string() });

/** What the section needs from the backend; `list` is null for someone who is not an admin (or not signed in). */
export interface AdminWebhooksApi {
  list(): Promise<{ endpoints: AdminEndpoint[]; deliveries: AdminDelivery[] } | null>;
  add(url: string, events: string[]): Promise<{ endpoint: AdminEndpoint; secret: string }>;
  rotate(id: string): Promise<{ endpoint: AdminEndpoint; secret: string }>;
  setEnabled(id: string, enabled: boolean): Promise<void>;
  ping(id: string): Promise<void>;
  remove(id: string): Promise<void>;
}

/** The API over a session (the service worker's, on the options page) and the backend's admin routes. */
export function createAdminWebhooksApi(getAuth: () => Promise<AuthInfo>, fetchImpl?: typeof fetch): AdminWebhooksApi {
  const call = async <T,>(path: string, schema: z.ZodType<T>, method: 'GET' | 'POST' | 'DELETE' = 'GET', body?: unknown): Promise<T> => {
    const auth = await getAuth();
    if (!auth.accessToken) throw new BackendError('Sign in to call.', 401, null, 'sign-in');
    return requestJson({ backendUrl: auth.backendUrl, token: auth.accessToken, path: `/api/admin/webhooks${path}`, method, body, schema, fetchImpl });
  };
  return {
    async list() {
      try {
        const { endpoints } = await call('', z.object({ endpoints: z.array(endpointSchema) }));
        const { deliveries } = await call('/deliveries?limit=20', z.object({ deliveries: z.array(deliverySchema) }));
        return { endpoints, deliveries };
      } catch (error) {
        if (error instanceof BackendError && (error.status === 401 || error.status === 403)) return null;
        throw error;
      }
    },
    add: (url, events) => call('', withSecret, 'POST', { url, events }),
    rotate: (id) => call(`/${id}/rotate`, withSecret, 'POST'),
    setEnabled: async (id, enabled) => void (await call(`/${id}/enabled`, z.unknown(), 'POST', { enabled })),
    ping: async (id) => void (await call(`/${id}/ping`, z.unknown(), 'POST')),
    remove: async (id) => void (await call(`/${id}`, z.unknown(), 'DELETE')),
  };
}

const browserAdminWebhooksApi: AdminWebhooksApi = createAdminWebhooksApi(workerAuth);

/** "2026-12-02 14:05" in the admin's own time zone. */
const when = (iso: string) => {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/** Disabled by the backend after failing (an admin's own "Disable" is not news to them). */
const disabledByFailures = (e: AdminEndpoint) => !e.enabled && e.disabledReason !== null && !/^An admin disabled it/.test(e.disabledReason);

const message = (error: unknown) => (error instanceof Error ? error.message : 'Something went wrong; try again.');

export function AdminWebhooks({ api = browserAdminWebhooksApi }: { api?: AdminWebhooksApi }) {
  const [data, setData] = useState<{ endpoints: AdminEndpoint[]; deliveries: AdminDelivery[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([...WEBHOOK_EVENTS]);

  const refresh = useCallback(async () => {
    try {
      setData(await api.list());
    } catch (e) {
      setError(message(e));
    }
  }, [api]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const act = async (what: () => Promise<unknown>) => {
    setError(null);
    try {
      await what();
    } catch (e) {
      setError(message(e));
    }
    await refresh();
  };

  if (!data) return null;
  const failed = data.endpoints.filter(disabledByFailures);
  return (
    <section aria-labelledby="admin-webhooks">
      <h2 id="admin-webhooks">CRM webhooks (admins)</h2>
      <p className="muted small">
        Every call and wrap-up is sent to these endpoints as signed webhooks (Standard Webhooks), for your CRM, Zapier or n8n. See docs/connect-your-crm.md.
      </p>
      {failed.length > 0 && (
        <div className="notice notice-error" role="alert" aria-label="Endpoints disabled after failing">
          {failed.map((e) => (
            <p key={e.id}>
              Deliveries to {e.url} stopped{e.disabledAt ? ` on ${when(e.disabledAt)}` : ''}: it kept failing, so it was disabled. Nothing is lost: its
              webhooks wait until you enable it again.
            </p>
          ))}
        </div>
      )}
      {error && <p className="notice notice-error" role="alert">{error}</p>}
      {secret && (
        <div className="notice notice-warning" role="status">
          <span>Signing secret for {secret.url}. Copy it now: it is not shown again.</span>
          <code>{secret.secret}</code>
          <button type="button" className="link" onClick={() => setSecret(null)}>Done</button>
        </div>
      )}
      {data.endpoints.length === 0 && <p className="muted">No endpoints yet.</p>}
      <ul aria-label="Webhook endpoints">
        {data.endpoints.map((e) => (
          <li key={e.id}>
            <strong>{e.url}</strong> <span className="muted small">{e.events.join(', ')}</span>
            {!e.enabled && (
              <p className="notice notice-error">
                {e.disabledAt ? `${when(e.disabledAt)} · ` : ''}
                {e.disabledReason ?? 'Disabled.'}
              </p>
            )}
            {e.enabled && (e.failureRun ?? 0) > 0 && (
              <p className="notice notice-warning small">
                Failing: {e.failureRun} failed deliveries in a row{e.failingSince ? ` since ${when(e.failingSince)}` : ''}. The last answer is in Recent deliveries.
              </p>
            )}
            <div>
              <button type="button" onClick={() => void act(() => api.ping(e.id))} disabled={!e.enabled}>Send test ping</button>{' '}
              <button type="button" onClick={() => void act(async () => setSecret({ url: e.url, secret: (await api.rotate(e.id)).secret }))}>Rotate secret</button>{' '}
              <button type="button" className={e.enabled ? undefined : 'primary'} aria-label={`${e.enabled ? 'Disable' : 'Enable'} ${e.url}${e.enabled ? '' : ' again'}`} onClick={() => void act(() => api.setEnabled(e.id, !e.enabled))}>
                {e.enabled ? 'Disable' : 'Enable again'}
              </button>{' '}
              <button type="button" className="danger" onClick={() => void act(() => api.remove(e.id))}>Remove</button>
            </div>
          </li>
        ))}
      </ul>
      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          void act(async () => {
            const added = await api.add(url.trim(), events);
            setSecret({ url: added.endpoint.url, secret: added.secret });
            setUrl('');
          });
        }}
      >
        <label>
          Endpoint URL
          <input type="url" required value={url} placeholder="https://hooks.example.com/click-to-call" onChange={(ev) => setUrl(ev.target.value)} />
        </label>
        <fieldset>
          <legend>Events</legend>
          {WEBHOOK_EVENTS.map((type) => (
            <label key={type} style={{ flexDirection: 'row' }}>
              <input type="checkbox" checked={events.includes(type)} onChange={(ev) => setEvents(ev.target.checked ? [...events, type] : events.filter((t) => t !== type))} />
              {type}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary" disabled={events.length === 0}>Add endpoint</button>
      </form>
      {data.deliveries.length > 0 && (
        <table aria-label="Recent deliveries" className="small">
          <thead><tr><th>Event</th><th>State</th><th>Attempts</th><th>Last answer</th></tr></thead>
          <tbody>
            {data.deliveries.map((d) => (
              <tr key={d.id}>
                <td>{d.type}</td>
                <td>{d.state}</td>
                <td>{d.attempts}</td>
                <td>{d.lastAttempt ? (d.lastAttempt.ok ? `${d.lastAttempt.statusCode} in ${Math.round(d.lastAttempt.latencyMs)} ms` : d.lastAttempt.error) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" onClick={() => void refresh()}>Refresh</button>
    </section>
  );
}
