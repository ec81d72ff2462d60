// The outgoing webhooks' settings, read from the environment with the rest of the configuration (config.ts).
import { z } from 'zod';

export interface WebhookSettings {
  /** Deliver to private, loopback and link-local addresses (the demo, or a CRM inside your own network). */
  allowPrivateTargets: boolean;
  /** http:// endpoints on loopback (the demo's own receiver); https only otherwise. */
  allowLoopbackHttp: boolean;
  /** Per request: connecting, the answer's headers and its (bounded) body. */
  timeoutSeconds: number;
  /** Deliveries under way at once, in all and to one endpoint. */
  concurrency: number;
  concurrencyPerEndpoint: number;
  /** How long a delivery is retried (with exponential backoff and jitter) before it is given up. */
  retryHours: number;
  /** The first retry's delay; each next one doubles, up to an hour. */
  retryBaseSeconds: number;
  /** Failed attempts in a row, lasting at least `disableAfterHours`, that disable an endpoint. */
  disableAfterFailures: number;
  disableAfterHours: number;
  /** How often the worker looks for due deliveries when it found none. */
  pollMs: number;
}

const flag = z.enum(['true', 'false']).optional();

const webhookEnvSchema = z.object({
  WEBHOOK_ALLOW_PRIVATE_TARGETS: flag,
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().positive().max(60).default(10),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(32),
  WEBHOOK_CONCURRENCY_PER_ENDPOINT: z.coerce.number().int().min(1).max(100).default(4),
  WEBHOOK_RETRY_HOURS: z.coerce.number().min(24, 'must be at least 24: deliveries are retried for at least a day').max(24 * 14).default(72),
  WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().positive().max(3600).default(5),
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).default(50),
  WEBHOOK_DISABLE_AFTER_HOURS: z.coerce.number().min(0).default(24),
  WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
});

/**
 * `demo` is the embedded database with the simulated Twilio: there the demo's own receiver (http on loopback) is allowed;
 * anywhere else only public https endpoints are, unless WEBHOOK_ALLOW_PRIVATE_TARGETS=true.
 */
export function webhookSettings(env: Record<string, string | undefined>, demo: boolean): WebhookSettings | { error: string } {
  const parsed = webhookEnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('WEBHOOK_') && v !== undefined && v.trim() !== '')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { error: `${String(issue.path[0])} ${issue.message}` };
  }
  const e = parsed.data;
  return {
    allowPrivateTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS === undefined ? demo : e.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true',
    allowLoopbackHttp: demo,
    timeoutSeconds: e.WEBHOOK_TIMEOUT_SECONDS,
    concurrency: e.WEBHOOK_CONCURRENCY,
    concurrencyPerEndpoint: e.WEBHOOK_CONCURRENCY_PER_ENDPOINT,
    retryHours: e.WEBHOOK_RETRY_HOURS,
    retryBaseSeconds: e.WEBHOOK_RETRY_BASE_SECONDS,
    disableAfterFailures: e.WEBHOOK_DISABLE_AFTER_FAILURES,
    disableAfterHours: e.WEBHOOK_DISABLE_AFTER_HOURS,
    pollMs: e.WEBHOOK_POLL_MS,
  };
}
