// Starts the webhook delivery worker for a server and gives the admin routes what they need; stopped with the server.
import type { LookupFunction } from 'node:net';
import type { AppDeps } from '../app.js';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { createWebhookSender } from './webhook-sender.js';
import { createWebhookStore, type Rpc } from './webhook-store.js';
import { startWebhookWorker } from './webhook-worker.js';

export function startWebhooks(config: AppConfig, rpc: { requests: Rpc; worker: Rpc }, logger: Logger, lookup?: LookupFunction): { deps: NonNullable<AppDeps['webhooks']>; stop(): Promise<void> } | null {
  const settings = config.webhooks;
  if (!settings) return null;
  // The admin API's statements go with the requests'; the worker's yield to them (server-adapters.ts).
  const store = createWebhookStore(rpc.requests);
  const sender = createWebhookSender({ policy: settings, timeoutMs: settings.timeoutSeconds * 1000, connectionsPerOrigin: settings.concurrency, lookup });
  const worker = startWebhookWorker({ store: createWebhookStore(rpc.worker), sender, settings, logger });
  return { deps: { store, policy: settings, wake: worker.wake }, stop: () => worker.stop() };
}
