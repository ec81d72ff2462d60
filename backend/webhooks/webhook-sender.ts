// Sends one signed delivery (Standard Webhooks headers, via the standardwebhooks library) over a dispatcher whose
// connections go only to checked addresses, with a timeout and a bounded read of the answer.
import { randomBytes } from 'node:crypto';
import type { LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { Agent, request } from 'undici';
import { webhookBody } from './webhook-payload.js';
import type { ClaimedDelivery } from './webhook-store.js';
import { checkEndpointUrl, guardedLookup, type TargetPolicy } from './webhook-targets.js';

/** The most of an answer's body read (kept for the attempt's error); the rest is discarded unread. */
export const MAX_RESPONSE_BYTES = 4096;

export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

export interface WebhookSender {
  send(delivery: ClaimedDelivery, signal?: AbortSignal): Promise<SendResult>;
  close(): Promise<void>;
}

export interface SenderOptions {
  policy: TargetPolicy;
  timeoutMs: number;
  /**
   * Connections to one host at most. Endpoints of different teams often share a host (Zapier, n8n, one CRM's workflow
   * URLs), so this is the worker's limit in all, never the per-endpoint one: a slow endpoint's deliveries must not hold
   * every connection to its host while a fast endpoint on the same host waits for one.
   */
  connectionsPerOrigin: number;
  /** The resolver behind the address check (tests point a host name at an address). */
  lookup?: LookupFunction;
  /** Extra certificate authorities to trust (tests' own https receivers). */
  ca?: string;
}

/** A new endpoint secret: `whsec_` and 32 random bytes in base64, as the spec's libraries read it. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** webhook-id: the same for every attempt of an event, so that receivers can drop repeats. */
const webhookMessageId = (eventId: string) => `msg_${eventId.replaceAll('-', '')}`;

/** The three Standard Webhooks headers for `body`, signed now. */
function signWebhook(secret: string, messageId: string, body: string, at = new Date()): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, at, body),
  };
}

const sentence = (error: unknown) => {
  const e = error as { message?: string; code?: string; cause?: { message?: string; code?: string } };
  const inner = e.cause?.message && e.cause.message !== e.message ? ` (${e.cause.message})` : '';
  return `${e.message ?? String(error)}${inner}`.slice(0, 400);
};

export function createWebhookSender(options: SenderOptions): WebhookSender {
  const { policy, timeoutMs } = options;
  const agent = new Agent({
    connect: { lookup: guardedLookup(policy, options.lookup), timeout: timeoutMs, ...(options.ca ? { ca: options.ca } : {}) },
    connections: options.connectionsPerOrigin,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 10_000,
  });

  return {
    async send(delivery, signal) {
      const started = performance.now();
      const elapsed = () => performance.now() - started;
      try {
        // Checked again on every delivery: the rules may have changed since the endpoint was added.
        const url = checkEndpointUrl(delivery.url, policy);
        const body = webhookBody(delivery.type, delivery.eventCreatedAt, delivery.data);
        const timeout = AbortSignal.timeout(timeoutMs);
        const res = await request(url, {
          method: 'POST',
          dispatcher: agent,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'click-to-call-webhooks/1',
            ...signWebhook(delivery.secret, webhookMessageId(delivery.eventId), body),
          },
          body,
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        let text = '';
        let read = 0;
        for await (const chunk of res.body) {
          const buf = chunk as Buffer;
          if (read < MAX_RESPONSE_BYTES) text += buf.subarray(0, MAX_RESPONSE_BYTES - read).toString('utf8');
          read += buf.length;
          if (read >= MAX_RESPONSE_BYTES) break;
        }
        res.body.destroy();
        const ok = res.statusCode >= 200 && res.statusCode < 300;
        return {
          ok,
          statusCode: res.statusCode,
          latencyMs: elapsed(),
          error: ok ? null : `The endpoint answered ${res.statusCode}${text.trim() ? `: ${text.trim().replace(/\s+/g, ' ').slice(0, 200)}` : '.'}`,
        };
      } catch (error) {
        const timedOut = (error as Error).name === 'TimeoutError' || /timeout/i.test((error as { code?: string }).code ?? '');
        return {
          ok: false,
          statusCode: null,
          latencyMs: elapsed(),
          error: timedOut ? `The endpoint did not answer within ${timeoutMs / 1000} s.` : sentence(error),
        };
      }
    },
    close: () => agent.close(),
  };
}
