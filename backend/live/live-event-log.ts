// The last live events of each organization, numbered, so a stream that reconnects with Last-Event-ID gets what it
// missed instead of a gap; when the id is not one this log can answer for (another instance, a restart, too old),
// the stream is told to resync (reload what it shows).
import { randomBytes } from 'node:crypto';
import type { LiveEvent } from '../../shared/api.js';
import type { LiveEvents } from './live-events.js';

export interface NumberedEvent {
  id: string;
  event: LiveEvent;
}

export interface LiveEventLogOptions {
  /** Events kept per organization (200). */
  size?: number;
  /** How long an organization's events are still recorded after its last stream closed, for reconnects (2 min). */
  lingerMs?: number;
}

interface OrgLog {
  events: Array<{ seq: number; event: LiveEvent }>;
  /** Every event of the organization after this sequence number is in `events` (it grows as old ones are dropped). */
  floor: number;
  listeners: Set<(numbered: NumberedEvent) => void>;
  unsubscribe: () => void;
  linger: ReturnType<typeof setTimeout> | null;
}

export function createLiveEventLog(live: LiveEvents, options: LiveEventLogOptions = {}) {
  const size = options.size ?? 200;
  const lingerMs = options.lingerMs ?? 120_000;
  // Ids are "<this log>.<sequence>": an id from another instance or an earlier run is recognised as not ours.
  const prefix = randomBytes(6).toString('base64url');
  let seq = 0;
  const logs = new Map<string, OrgLog>();
  const idOf = (n: number) => `${prefix}.${n}`;

  function logFor(organizationId: string): OrgLog {
    const log = logs.get(organizationId);
    if (log) return log;
    const created: OrgLog = { events: [], floor: seq, listeners: new Set(), unsubscribe: () => undefined, linger: null };
    created.unsubscribe = live.subscribe(organizationId, (event) => {
      const n = ++seq;
      created.events.push({ seq: n, event });
      if (created.events.length > size) created.floor = created.events.shift()!.seq;
      for (const listener of created.listeners) listener({ id: idOf(n), event });
    });
    logs.set(organizationId, created);
    return created;
  }

  return {
    /** Follows the organization's events with their ids; returns the unsubscribe function. */
    subscribe(organizationId: string, listener: (numbered: NumberedEvent) => void): () => void {
      const log = logFor(organizationId);
      if (log.linger) clearTimeout(log.linger);
      log.linger = null;
      log.listeners.add(listener);
      return () => {
        log.listeners.delete(listener);
        if (log.listeners.size > 0 || log.linger) return;
        log.linger = setTimeout(() => {
          if (log.listeners.size > 0) return;
          log.unsubscribe();
          logs.delete(organizationId);
        }, lingerMs);
        log.linger.unref();
      };
    },

    /** The events after `lastEventId`, oldest first; null when this log cannot tell what was missed. */
    missedSince(organizationId: string, lastEventId: string): NumberedEvent[] | null {
      const match = /^(.+)\.(\d{1,15})$/.exec(lastEventId);
      const log = logs.get(organizationId);
      if (!match || match[1] !== prefix || !log) return null;
      const last = Number(match[2]);
      // Sequence numbers run across organizations, so gaps are normal; only events dropped (or from before this log
      // existed) after `last` make what was missed unknown.
      if (last > seq || last < log.floor) return null;
      return log.events.filter((e) => e.seq > last).map((e) => ({ id: idOf(e.seq), event: e.event }));
    },

    close(): void {
      for (const log of logs.values()) {
        if (log.linger) clearTimeout(log.linger);
        log.unsubscribe();
      }
      logs.clear();
    },
  };
}

export type LiveEventLog = ReturnType<typeof createLiveEventLog>;
