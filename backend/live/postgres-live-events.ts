// LiveEvents shared by every backend instance on one PostgreSQL database: pg_notify to publish, LISTEN to receive.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { LiveEvent } from '../../shared/api.js';
import type { Logger } from '../logger.js';
import type { LiveEvents } from './live-events.js';

const LIVE_CHANNEL = 'c2c_live_events';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7900;

export interface PostgresLiveEvents extends LiveEvents {
  /** Resolves once this instance is listening (tests wait for it before publishing from another instance). */
  ready: Promise<void>;
  close(): Promise<void>;
}

interface Envelope {
  /** The publishing instance: it has already delivered the event to its own listeners. */
  from: string;
  org: string;
  event: LiveEvent;
}

/** Keeps the payload under PostgreSQL's limit by dropping what a live update can do without (page URL and title). */
function encode(envelope: Envelope): string | null {
  let text = JSON.stringify(envelope);
  if (Buffer.byteLength(text) <= MAX_PAYLOAD_BYTES) return text;
  if (envelope.event.type === 'call') {
    text = JSON.stringify({ ...envelope, event: { ...envelope.event, call: { ...envelope.event.call, pageUrl: null, pageTitle: null } } });
    if (Buffer.byteLength(text) <= MAX_PAYLOAD_BYTES) return text;
  }
  return null;
}

export function createPostgresLiveEvents(connectionString: string, logger: Logger, channel = LIVE_CHANNEL): PostgresLiveEvents {
  const instance = randomUUID();
  const local = new EventEmitter();
  local.setMaxListeners(0);
  const publisher = new pg.Pool({ connectionString, max: 2, application_name: 'click-to-call live publish' });
  publisher.on('error', () => undefined);
  let listener: pg.Client | null = null;
  let closed = false;
  let retryMs = 500;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  function deliver(org: string, event: LiveEvent) {
    local.emit(org, event);
  }

  async function listen(): Promise<void> {
    if (closed) return;
    const client = new pg.Client({ connectionString, application_name: 'click-to-call live listen' });
    client.on('notification', (msg) => {
      if (msg.channel !== channel || !msg.payload) return;
      try {
        const envelope = JSON.parse(msg.payload) as Envelope;
        if (envelope.from !== instance) deliver(envelope.org, envelope.event);
      } catch {
        logger.warn('live.notify.bad-payload', { bytes: msg.payload.length });
      }
    });
    const reconnect = () => {
      if (closed || listener !== client) return;
      listener = null;
      logger.warn('live.listen.lost', { retryMs });
      setTimeout(() => void listen(), retryMs).unref();
      retryMs = Math.min(retryMs * 2, 30_000);
    };
    client.on('error', reconnect);
    client.on('end', reconnect);
    listener = client;
    try {
      await client.connect();
      await client.query(`listen ${channel}`);
      retryMs = 500;
      logger.info('live.listen.started', { channel });
      markReady();
    } catch (error) {
      logger.warn('live.listen.failed', { error: (error as Error).message });
      await client.end().catch(() => undefined);
      reconnect();
    }
  }
  void listen();

  return {
    ready,
    publish(org, event) {
      deliver(org, event);
      const payload = encode({ from: instance, org, event });
      if (!payload) {
        logger.warn('live.notify.too-large', { type: event.type });
        return;
      }
      publisher.query('select pg_notify($1, $2)', [channel, payload]).catch((error: unknown) => {
        logger.warn('live.notify.failed', { error: (error as Error).message });
      });
    },
    subscribe(org, fn) {
      local.on(org, fn);
      return () => local.off(org, fn);
    },
    async close() {
      closed = true;
      const client = listener;
      listener = null;
      await client?.end().catch(() => undefined);
      await publisher.end();
    },
  };
}
