// The notifier looks an agent's presence up only when it changed and someone in the organization receives live events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../shared/api.js';
import { createLiveEvents } from '../live/live-events.js';
import { silentLogger } from '../logger.js';
import { faultyStore } from '../../test/support/backend/faulty-store.js';
import { placeCall } from '../../test/support/backend/place-call.js';
import { createTestBackend, type TestBackend } from '../../test/support/backend/test-backend.js';
import { notifyCallChange } from './call-notifier.js';

let t: TestBackend;
beforeAll(async () => {
  t = await createTestBackend();
});
afterAll(() => t.close());

describe('call notifier', () => {
  it('skips the presence lookup while nobody listens, and publishes presence once someone does', async () => {
    const counted = faultyStore(t.deps.store);
    const live = createLiveEvents();
    const deps = { store: counted.store, live, logger: silentLogger };
    const bob = t.agents.bob;
    const { call } = await placeCall(t.deps.store, bob, { toNumber: '+14155550142' });

    expect(live.hasListeners?.(bob.organizationId)).toBe(false);
    await notifyCallChange(deps, bob.organizationId, call, null, 'voice-url');
    expect(counted.calls('getAgentPresence')).toBe(0);

    const seen: LiveEvent[] = [];
    const stop = live.subscribe(bob.organizationId, (e) => seen.push(e));
    expect(live.hasListeners?.(bob.organizationId)).toBe(true);
    await notifyCallChange(deps, bob.organizationId, call, null, 'voice-url');
    expect(counted.calls('getAgentPresence')).toBe(1);
    expect(seen).toEqual([
      { type: 'call', call },
      { type: 'presence', agent: expect.objectContaining({ id: bob.id, status: 'on-call', currentCallId: call.id, currentCallPhoneNumber: '+14155550142' }) },
    ]);
    // No change of presence (ringing is as open as initiated): no lookup even with a listener.
    await notifyCallChange(deps, bob.organizationId, { ...call, status: 'ringing' }, 'initiated', 'call-progress-events');
    expect(counted.calls('getAgentPresence')).toBe(1);
    stop();
    expect(live.hasListeners?.(bob.organizationId)).toBe(false);
  });
});
