// Delivers the outbox: claims due deliveries (FOR UPDATE SKIP LOCKED, so instances sharing a database never take the
// same one), sends them with bounded concurrency in all and per endpoint, records every attempt and schedules retries.
import type { Logger } from '../logger.js';
import { retryDelaySeconds } from './webhook-backoff.js';
import type { WebhookSettings } from './webhook-config.js';
import type { WebhookSender } from './webhook-sender.js';
import type { AttemptResult, ClaimedDelivery, WebhookStore } from './webhook-store.js';

export interface WebhookWorkerOptions {
  store: WebhookStore;
  sender: WebhookSender;
  settings: WebhookSettings;
  logger: Logger;
  /** An endpoint was just disabled after a long run of failures (the admins' notice). */
  onEndpointDisabled?: (notice: { organizationId: string; endpointId: string; url: string }) => void;
  random?: () => number;
}

export interface WebhookWorker {
  /** Looks for due deliveries now instead of at the next poll. */
  wake(): void;
  stop(): Promise<void>;
}

/** Claims per database call: small, so that the embedded database (one query at a time) stays free for Twilio's webhooks. */
const MAX_CLAIM = 16;
const MIN_CLAIM_INTERVAL_MS = 100;

export function startWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  const { store, sender, settings, logger } = options;
  const random = options.random ?? Math.random;
  const timeoutMs = settings.timeoutSeconds * 1000;
  // A claimed delivery is another instance's to retry only after the sender has certainly given up on it.
  const leaseSeconds = Math.ceil(settings.timeoutSeconds * 2 + 5);
  const inFlight = new Map<number, { delivery: ClaimedDelivery; abort: AbortController; done: Promise<void> }>();
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  let woken = false;
  let emptyClaims = 0;

  const wake = () => {
    woken = true;
    emptyClaims = 0;
    wakeUp?.();
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopped) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });

  /** Attempts finished but not yet recorded: written together, one database call at a time. */
  let unrecorded: Array<{ delivery: ClaimedDelivery; result: AttemptResult; recorded: () => void }> = [];
  let recording: Promise<void> | null = null;
  const disable = { afterFailures: settings.disableAfterFailures, afterSeconds: settings.disableAfterHours * 3600 };

  function flush(): Promise<void> {
    if (recording || unrecorded.length === 0) return recording ?? Promise.resolve();
    const batch = unrecorded;
    unrecorded = [];
    recording = (async () => {
      try {
        const disabled = await store.recordAttempts(batch.map((b) => b.result), disable);
        for (const { delivery, result } of batch) {
          const fields = { deliveryId: delivery.deliveryId, endpointId: delivery.endpointId, type: delivery.type, attempt: delivery.attempt, status: result.statusCode, ms: Math.round(result.latencyMs) };
          if (result.ok) logger.debug('webhook.delivered', fields);
          else if (result.retryInSeconds === null) logger.warn('webhook.given-up', { ...fields, error: result.error });
          else logger.info('webhook.failed', { ...fields, error: result.error, retryInSeconds: Math.round(result.retryInSeconds) });
        }
        for (const notice of disabled) {
          logger.warn('webhook.endpoint-disabled', { endpointId: notice.endpointId, organizationId: notice.organizationId });
          options.onEndpointDisabled?.(notice);
        }
      } catch (error) {
        // The leases run out and the deliveries are tried again: at least once, never lost.
        logger.error('webhook.record-failed', { deliveries: batch.length, error: error instanceof Error ? error.message : String(error) });
      } finally {
        for (const b of batch) b.recorded();
        recording = null;
      }
      await flush();
    })();
    return recording;
  }

  async function deliver(delivery: ClaimedDelivery, abort: AbortController) {
    const sent = await sender.send(delivery, abort.signal);
    if (abort.signal.aborted && stopped) return; // released on stop, not an attempt
    const windowEnds = new Date(delivery.eventCreatedAt).getTime() + settings.retryHours * 3600_000 - Date.now();
    const retryInSeconds = sent.ok ? null : retryDelaySeconds(delivery.attempt, settings.retryBaseSeconds, windowEnds / 1000, random);
    await new Promise<void>((recorded) => {
      unrecorded.push({ delivery, result: { deliveryId: delivery.deliveryId, ...sent, retryInSeconds }, recorded });
      void flush();
    });
  }

  async function loop() {
    while (!stopped) {
      woken = false;
      const free = settings.concurrency - inFlight.size;
      if (free <= 0) {
        await pause(settings.pollMs);
        continue;
      }
      let claimed: ClaimedDelivery[];
      try {
        claimed = await store.claim(Math.min(free, MAX_CLAIM), settings.concurrencyPerEndpoint, leaseSeconds);
      } catch (error) {
        if (stopped) break;
        logger.error('webhook.claim-failed', { error: error instanceof Error ? error.message : String(error) });
        await pause(settings.pollMs * 4);
        continue;
      }
      for (const delivery of claimed) {
        const abort = new AbortController();
        const done = deliver(delivery, abort).finally(() => {
          inFlight.delete(delivery.deliveryId);
          // A slot is free, and the call's next event may now be due for this endpoint.
          wake();
        });
        inFlight.set(delivery.deliveryId, { delivery, abort, done });
      }
      // A full claim may mean more is due; otherwise wait for the next poll or a finished delivery, but never claim more
      // often than every MIN_CLAIM_INTERVAL_MS: on the embedded database each claim waits in line with Twilio's webhooks.
      // When nothing is due time after time, look less often (up to ten polls apart): an idle server's database is left alone.
      emptyClaims = claimed.length === 0 && inFlight.size === 0 ? emptyClaims + 1 : 0;
      if (claimed.length < Math.min(free, MAX_CLAIM)) {
        const wait = Math.min(settings.pollMs * 2 ** Math.max(0, emptyClaims - 1), settings.pollMs * 10);
        await new Promise((resolve) => setTimeout(resolve, Math.min(MIN_CLAIM_INTERVAL_MS, wait)));
        await pause(Math.max(0, wait - MIN_CLAIM_INTERVAL_MS));
      }
    }
  }

  const running = loop();
  return {
    wake,
    async stop() {
      stopped = true;
      wakeUp?.();
      await running;
      // Deliveries under way get a moment to finish and be recorded; the rest are given back unattempted.
      const grace = new Promise((resolve) => setTimeout(resolve, Math.min(2000, timeoutMs)).unref());
      await Promise.race([Promise.all([...inFlight.values()].map((f) => f.done)), grace]);
      const left = [...inFlight.values()];
      for (const f of left) f.abort.abort();
      await store.release(left.map((f) => f.delivery.deliveryId)).catch(() => undefined);
      await Promise.all(left.map((f) => f.done));
      await sender.close();
    },
  };
}
