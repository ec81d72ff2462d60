// In-process fan-out of call and presence changes to each organization's Server-Sent Event listeners.
import { EventEmitter } from 'node:events';
import type { LiveEvent } from '../../shared/api.js';

export interface LiveEvents {
  publish(organizationId: string, event: LiveEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(organizationId: string, listener: (event: LiveEvent) => void): () => void;
  /**
   * Whether anyone receives the organization's events, so that work done only to publish them (a presence lookup)
   * can be skipped. Optional: without it (events shared between instances), publishers assume someone listens.
   */
  hasListeners?(organizationId: string): boolean;
}

export function createLiveEvents(): LiveEvents {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(organizationId, event) {
      emitter.emit(organizationId, event);
    },
    subscribe(organizationId, listener) {
      emitter.on(organizationId, listener);
      return () => emitter.off(organizationId, listener);
    },
    hasListeners: (organizationId) => emitter.listenerCount(organizationId) > 0,
  };
}
