// The outbox's SQL functions behind one interface: `select fn(...)` on a direct connection, or `supabase.rpc` in Supabase mode.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { SqlClient } from '../db/sql-client.js';

type Row = Record<string, unknown>;
/** Calls one SQL function with named arguments and returns its (jsonb) result. */
export type Rpc = <T>(fn: string, args: Record<string, unknown>) => Promise<T>;

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  description: string;
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  failureRun: number;
  failingSince: string | null;
  createdAt: string;
  secretRotatedAt: string;
}

export interface WebhookDelivery {
  id: number;
  endpointId: string;
  eventId: string;
  type: string;
  callId: string | null;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  lastAttempt: { at: string; ok: boolean; statusCode: number | null; latencyMs: number; error: string | null } | null;
}

/** A delivery the worker claimed: where, with which secret, what. */
export interface ClaimedDelivery {
  deliveryId: number;
  attempt: number;
  endpointId: string;
  url: string;
  secret: string;
  eventId: string;
  type: string;
  data: unknown;
  eventCreatedAt: string;
}

export interface AttemptResult {
  deliveryId: number;
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  /** Null: give up. */
  retryInSeconds: number | null;
}

export interface WebhookStore {
  addEndpoint(organizationId: string, input: { url: string; events: string[]; description: string; secret: string }): Promise<WebhookEndpoint>;
  listEndpoints(organizationId: string): Promise<WebhookEndpoint[]>;
  removeEndpoint(organizationId: string, endpointId: string): Promise<boolean>;
  rotateSecret(organizationId: string, endpointId: string, secret: string): Promise<WebhookEndpoint | null>;
  setEnabled(organizationId: string, endpointId: string, enabled: boolean): Promise<WebhookEndpoint | null>;
  ping(organizationId: string, endpointId: string): Promise<number | null>;
  listDeliveries(organizationId: string, endpointId: string | null, limit: number): Promise<WebhookDelivery[]>;
  claim(limit: number, perEndpoint: number, leaseSeconds: number): Promise<ClaimedDelivery[]>;
  recordAttempt(result: AttemptResult, disable: { afterFailures: number; afterSeconds: number }): Promise<{ disabled: boolean; endpointId?: string; organizationId?: string; url?: string }>;
  /** Several attempts in one database call; returns the endpoints they disabled. */
  recordAttempts(results: AttemptResult[], disable: { afterFailures: number; afterSeconds: number }): Promise<Array<{ endpointId: string; organizationId: string; url: string }>>;
  release(deliveryIds: number[]): Promise<void>;
}

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

function endpointFromRow(r: Row): WebhookEndpoint {
  return {
    id: String(r.id),
    url: String(r.url),
    events: (r.events as string[]) ?? [],
    description: String(r.description ?? ''),
    enabled: r.enabled === true,
    disabledReason: str(r.disabled_reason),
    disabledAt: str(r.disabled_at),
    failureRun: Number(r.failure_run ?? 0),
    failingSince: str(r.failing_since),
    createdAt: String(r.created_at),
    secretRotatedAt: String(r.secret_rotated_at),
  };
}

function deliveryFromRow(r: Row): WebhookDelivery {
  const a = r.last_attempt as Row | null;
  return {
    id: Number(r.id),
    endpointId: String(r.endpoint_id),
    eventId: String(r.event_id),
    type: String(r.type),
    callId: str(r.call_id),
    state: r.state as WebhookDelivery['state'],
    attempts: Number(r.attempts),
    nextAttemptAt: str(r.next_attempt_at),
    lastError: str(r.last_error),
    deliveredAt: str(r.delivered_at),
    createdAt: String(r.created_at),
    lastAttempt: a ? { at: String(a.at), ok: a.ok === true, statusCode: a.status_code === null ? null : Number(a.status_code), latencyMs: Number(a.latency_ms), error: str(a.error) } : null,
  };
}

export function createWebhookStore(rpc: Rpc): WebhookStore {
  return {
    async addEndpoint(organizationId, { url, events, description, secret }) {
      return endpointFromRow(await rpc<Row>('add_webhook_endpoint', { p_organization_id: organizationId, p_url: url, p_events: events, p_description: description, p_secret: secret }));
    },
    async listEndpoints(organizationId) {
      return ((await rpc<Row[]>('list_webhook_endpoints', { p_organization_id: organizationId })) ?? []).map(endpointFromRow);
    },
    async removeEndpoint(organizationId, endpointId) {
      return (await rpc<boolean>('remove_webhook_endpoint', { p_organization_id: organizationId, p_endpoint_id: endpointId })) === true;
    },
    async rotateSecret(organizationId, endpointId, secret) {
      const row = await rpc<Row | null>('rotate_webhook_secret', { p_organization_id: organizationId, p_endpoint_id: endpointId, p_secret: secret });
      return row ? endpointFromRow(row) : null;
    },
    async setEnabled(organizationId, endpointId, enabled) {
      const row = await rpc<Row | null>('set_webhook_endpoint_enabled', { p_organization_id: organizationId, p_endpoint_id: endpointId, p_enabled: enabled });
      return row ? endpointFromRow(row) : null;
    },
    async ping(organizationId, endpointId) {
      const id = await rpc<number | string | null>('enqueue_webhook_ping', { p_organization_id: organizationId, p_endpoint_id: endpointId });
      return id === null ? null : Number(id);
    },
    async listDeliveries(organizationId, endpointId, limit) {
      return ((await rpc<Row[]>('list_webhook_deliveries', { p_organization_id: organizationId, p_endpoint_id: endpointId, p_limit: limit })) ?? []).map(deliveryFromRow);
    },
    async claim(limit, perEndpoint, leaseSeconds) {
      const rows = (await rpc<Row[]>('claim_webhook_deliveries', { p_limit: limit, p_per_endpoint: perEndpoint, p_lease_seconds: leaseSeconds })) ?? [];
      return rows.map((r) => ({
        deliveryId: Number(r.delivery_id),
        attempt: Number(r.attempt),
        endpointId: String(r.endpoint_id),
        url: String(r.url),
        secret: String(r.secret),
        eventId: String(r.event_id),
        type: String(r.type),
        data: r.data,
        eventCreatedAt: String(r.event_created_at),
      }));
    },
    async recordAttempt(r, disable) {
      const row = await rpc<Row>('record_webhook_attempt', {
        p_delivery_id: r.deliveryId, p_ok: r.ok, p_status_code: r.statusCode, p_latency_ms: Math.round(r.latencyMs), p_error: r.error,
        p_retry_in_seconds: r.retryInSeconds, p_disable_after_failures: disable.afterFailures, p_disable_after_seconds: Math.round(disable.afterSeconds),
      });
      return row?.disabled === true
        ? { disabled: true, endpointId: String(row.endpoint_id), organizationId: String(row.organization_id), url: String(row.url) }
        : { disabled: false };
    },
    async recordAttempts(results, disable) {
      const rows = await rpc<Row[]>('record_webhook_attempts', {
        p_attempts: results.map((r) => ({
          delivery_id: r.deliveryId, ok: r.ok, status_code: r.statusCode, latency_ms: Math.round(r.latencyMs), error: r.error, retry_in_seconds: r.retryInSeconds,
        })),
        p_disable_after_failures: disable.afterFailures,
        p_disable_after_seconds: Math.round(disable.afterSeconds),
      });
      return (rows ?? []).map((row) => ({ endpointId: String(row.endpoint_id), organizationId: String(row.organization_id), url: String(row.url) }));
    },
    async release(deliveryIds) {
      if (deliveryIds.length > 0) await rpc('release_webhook_deliveries', { p_delivery_ids: deliveryIds });
    },
  };
}

const ident = /^[a-z_][a-z0-9_]*$/;

/** `select public.fn(p_a => $1, …)` over a direct connection (named arguments, as supabase.rpc sends them). */
export function sqlRpc(db: SqlClient): Rpc {
  return async <T>(fn: string, args: Record<string, unknown>) => {
    const names = Object.keys(args);
    if (!ident.test(fn) || !names.every((n) => ident.test(n))) throw new Error(`Not a function or argument name: ${fn}`);
    const params = names.map((n) => {
      const v = args[n];
      return v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
    });
    const { rows } = await db.query<{ r: T }>(`select public.${fn}(${names.map((n, i) => `${n} => $${i + 1}`).join(', ')}) as r`, params);
    return rows[0]!.r;
  };
}

export function supabaseRpc(supabase: SupabaseClient): Rpc {
  return async <T>(fn: string, args: Record<string, unknown>) => {
    const { data, error } = await supabase.rpc(fn, args);
    if (error) throw new Error(`The database call ${fn} failed${error.code ? ` (${error.code})` : ''}: ${error.message}`);
    return data as T;
  };
}
