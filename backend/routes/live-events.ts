// Server-Sent Events: every call change and presence change in the agent's organization, as it happens.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { LiveEvent } from '../../shared/api.js';
import type { AppDeps } from '../app.js';
import { requireAgent, type AgentEnv } from '../http/require-agent.js';

const KEEPALIVE_MS = 25_000;

export function liveEventRoutes({ auth, store, live }: AppDeps) {
  return new Hono<AgentEnv>().get('/', requireAgent(auth, store, { allowQueryToken: true }), (c) => {
    const organizationId = c.get('agent').organizationId;
    return streamSSE(c, async (stream) => {
      const queue: LiveEvent[] = [];
      let wake: (() => void) | null = null;
      const unsubscribe = live.subscribe(organizationId, (event) => {
        queue.push(event);
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      await stream.writeSSE({ event: 'ready', data: '{}' });
      try {
        while (!stream.aborted && !stream.closed) {
          const event = queue.shift();
          if (event) {
            await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
            continue;
          }
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, KEEPALIVE_MS);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
          if (queue.length === 0 && !stream.aborted) await stream.write(': keep-alive\n\n');
        }
      } finally {
        unsubscribe();
      }
    });
  });
}
