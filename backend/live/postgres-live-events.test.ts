// LISTEN/NOTIFY live events between two instances on a real PostgreSQL 15 server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call, LiveEvent } from '../../shared/api.js';
import { silentLogger } from '../logger.js';
import { isPostgresAvailable, sharedPostgresServer } from '../../test/support/backend/database-targets.js';
import { createPostgresLiveEvents, type PostgresLiveEvents } from './postgres-live-events.js';

const call = (over: Partial<Call> = {}): Call => ({
  id: '00000000-0000-4000-8000-000000000001', direction: 'outbound', status: 'ringing', fromNumber: '+15005550006', toNumber: '+14155550100',
  contactName: 'Lead', assignedTo: null, agentName: null, twilioCallSid: null, dialCallSid: null, pageUrl: 'https://crm.example/x', pageTitle: 'CRM',
  createdAt: '2026-11-24T12:00:00.000Z', answeredAt: null, endedAt: null, duration: null, errorCode: null, errorMessage: null, ...over,
});

function collect(live: PostgresLiveEvents, org: string) {
  const seen: LiveEvent[] = [];
  live.subscribe(org, (e) => seen.push(e));
  return seen;
}

async function until(check: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!isPostgresAvailable())('live events over LISTEN/NOTIFY', () => {
  let one: PostgresLiveEvents;
  let two: PostgresLiveEvents;
  beforeAll(async () => {
    const url = await (await sharedPostgresServer()).createDatabase();
    one = createPostgresLiveEvents(url, silentLogger);
    two = createPostgresLiveEvents(url, silentLogger);
    await Promise.all([one.ready, two.ready]);
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
  });

  it("delivers an event to the organization's listeners on both instances, once each", async () => {
    const here = collect(one, 'org-a');
    const there = collect(two, 'org-a');
    const elsewhere = collect(two, 'org-b');
    one.publish('org-a', { type: 'call', call: call() });
    await until(() => there.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(here).toEqual([{ type: 'call', call: call() }]);
    expect(there).toEqual([{ type: 'call', call: call() }]);
    expect(elsewhere).toEqual([]);
  });

  it("drops the page URL and title from an event too large for NOTIFY rather than losing it", async () => {
    const there = collect(two, 'org-c');
    one.publish('org-c', { type: 'call', call: call({ pageUrl: `https://crm.example/${'x'.repeat(9000)}` }) });
    await until(() => there.length === 1);
    expect(there[0]).toEqual({ type: 'call', call: call({ pageUrl: null, pageTitle: null }) });
  });
});
