// Claiming deliveries in the database, on PGlite and PostgreSQL 15: endpoints served in turn, at most N under way per
// endpoint, a call's events one after another per endpoint, and concurrent claims (PostgreSQL 15) never sharing a row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlClient } from '../db/sql-client.js';
import { sqlDatabaseTargets } from '../../test/support/backend/database-targets.js';
import { newWebhookSecret } from './webhook-sender.js';
import { createWebhookStore, sqlRpc } from './webhook-store.js';

describe.each(sqlDatabaseTargets())('claiming webhook deliveries on $name', (target) => {
  let db: SqlClient;
  let org: string;
  let slow: string;
  let fast: string;
  beforeAll(async () => {
    if (target.skip) return;
    db = (await target.open({ max: 4 })).db;
    org = (await db.query<{ id: string }>(`insert into public.organizations (name) values ('Claims') returning id`)).rows[0]!.id;
    const store = createWebhookStore(sqlRpc(db));
    slow = (await store.addEndpoint(org, { url: 'https://slow.example.com/hook', events: ['call.started', 'call.completed'], description: '', secret: newWebhookSecret() })).id;
    fast = (await store.addEndpoint(org, { url: 'https://fast.example.com/hook', events: ['call.started', 'call.completed'], description: '', secret: newWebhookSecret() })).id;
    // Ten calls, each started and completed: twenty deliveries per endpoint.
    await db.query(`insert into public.calls (organization_id, direction, status) select $1, 'outbound', 'initiated' from generate_series(1, 10)`, [org]);
    await db.query(`update public.calls set status = 'busy', ended_at = now() where organization_id = $1`, [org]);
  });
  afterAll(() => db?.close());

  describe.skipIf(target.skip)('', () => {
    it('serves endpoints in turn, keeps a call\'s events in order, and leaves an endpoint at its limit out', async () => {
      const store = createWebhookStore(sqlRpc(db));
      const first = await store.claim(4, 3, 60);
      expect(first.map((d) => d.endpointId).sort()).toEqual([fast, fast, slow, slow].sort());
      expect(first.every((d) => d.type === 'call.started')).toBe(true);
      // The slow endpoint gets one more (its limit is 3); then only the fast one is served.
      const second = await store.claim(10, 3, 60);
      expect(second.filter((d) => d.endpointId === slow)).toHaveLength(1);
      expect(second.filter((d) => d.endpointId === fast)).toHaveLength(1);
      expect(await store.claim(10, 3, 60)).toEqual([]);
      // Delivered: that call's completion is due next for that endpoint, not before.
      const done = first.find((d) => d.endpointId === fast)!;
      await store.recordAttempt({ deliveryId: done.deliveryId, ok: true, statusCode: 200, latencyMs: 5, error: null, retryInSeconds: null }, { afterFailures: 50, afterSeconds: 0 });
      const callOf = async (deliveryId: number) => (await db.query<{ call_id: string }>('select call_id from public.webhook_deliveries where id = $1', [deliveryId])).rows[0]!.call_id;
      const rest = await store.claim(50, 50, 60);
      const completions = rest.filter((d) => d.type === 'call.completed');
      // Only the call whose start was delivered (to the fast endpoint) has its completion due; the others wait for theirs.
      expect(completions).toHaveLength(1);
      expect(completions[0]!.endpointId).toBe(fast);
      expect(await callOf(completions[0]!.deliveryId)).toBe(await callOf(done.deliveryId));
      await db.query('update public.webhook_deliveries set leased_until = null');
    });

    it.skipIf(target.name !== 'PostgreSQL 15')('never gives one delivery to two claims at once (FOR UPDATE SKIP LOCKED)', async () => {
      const store = createWebhookStore(sqlRpc(db));
      const claims = await Promise.all(Array.from({ length: 4 }, () => store.claim(5, 20, 60)));
      const ids = claims.flat().map((d) => d.deliveryId);
      expect(ids.length).toBeGreaterThan(0);
      expect(new Set(ids).size).toBe(ids.length);
    });
  });
});
