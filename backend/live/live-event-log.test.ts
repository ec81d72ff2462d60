// Reconnecting streams get exactly what they missed, or are told to resync when that cannot be known.
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentPresence, LiveEvent } from '../../shared/api.js';
import { createLiveEventLog, type LiveEventLog, type NumberedEvent } from './live-event-log.js';
import { createLiveEvents } from './live-events.js';

const presence = (n: number): LiveEvent => ({
  type: 'presence',
  agent: { id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, displayName: `Agent ${n}`, email: `a${n}@x.test`, status: 'available', currentCallId: null, currentCallPhoneNumber: null } as AgentPresence,
});
const names = (events: NumberedEvent[] | null) => events?.map((e) => (e.event.type === 'presence' ? e.event.agent.displayName : e.event.type)) ?? null;

let log: LiveEventLog;
afterEach(() => log?.close());

describe('the live event log', () => {
  it('gives a reconnecting stream the events after the last one it saw, in order, and only its organization\'s', () => {
    const live = createLiveEvents();
    log = createLiveEventLog(live);
    const seen: NumberedEvent[] = [];
    const stop = log.subscribe('acme', (e) => seen.push(e));
    live.publish('acme', presence(1));
    live.publish('globex', presence(99));
    stop();
    // While the stream is away (within the linger), events are still kept.
    live.publish('acme', presence(2));
    live.publish('acme', presence(3));
    expect(names(log.missedSince('acme', seen[0]!.id))).toEqual(['Agent 2', 'Agent 3']);
    expect(log.missedSince('acme', log.missedSince('acme', seen[0]!.id)!.at(-1)!.id)).toEqual([]);
  });

  it('says it cannot tell for an id of another instance, a damaged id, or events dropped since', () => {
    const live = createLiveEvents();
    log = createLiveEventLog(live, { size: 2 });
    const seen: NumberedEvent[] = [];
    log.subscribe('acme', (e) => seen.push(e));
    live.publish('acme', presence(1));
    expect(log.missedSince('acme', 'another-instance.1')).toBeNull();
    expect(log.missedSince('acme', 'garbage')).toBeNull();
    expect(log.missedSince('acme', `${seen[0]!.id.split('.')[0]}.999`)).toBeNull();
    live.publish('acme', presence(2));
    live.publish('acme', presence(3));
    live.publish('acme', presence(4));
    // Agent 2 was dropped (only two kept): a stream that saw only Agent 1 must resync.
    expect(log.missedSince('acme', seen[0]!.id)).toBeNull();
    expect(names(log.missedSince('acme', seen[1]!.id))).toEqual(['Agent 3', 'Agent 4']);
  });
});
