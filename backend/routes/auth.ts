// Sign-in, session refresh and sign-out for agents; sign-in throttled per account and per address after failures.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { loginRequestSchema, logoutRequestSchema, refreshRequestSchema } from '../../shared/api.js';
import { AuthError } from '../auth/auth-service.js';
import { createLoginThrottle } from '../auth/login-throttle.js';
import type { AppDeps } from '../app.js';
import { ApiError } from '../http/api-error.js';
import { validate } from '../http/validation.js';
import { agentSeen } from '../presence/agent-seen.js';

/**
 * The client's address: the socket's peer, or behind a proxy (TRUST_PROXY) the last X-Forwarded-For entry, the one
 * the proxy itself appended (earlier entries are whatever the client sent).
 */
function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').map((s) => s.trim()).filter(Boolean).at(-1);
    if (forwarded) return forwarded.slice(0, 64);
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // In-process requests (tests) have no socket.
    return 'unknown';
  }
}

export function authRoutes(deps: AppDeps) {
  const { auth, logger, config, store } = deps;
  const throttle = createLoginThrottle(config.loginThrottle);

  return new Hono()
    .post('/login', validate('json', loginRequestSchema), async (c) => {
      const { email, password } = c.req.valid('json');
      const address = clientAddress(c, config.trustProxy);
      let verdict = await throttle.check(email, address);
      if (verdict.ok) verdict = await throttle.attempt(email, address);
      if (!verdict.ok) {
        logger.warn('auth.login-throttled', { email, address, scope: verdict.scope, retryAfterSeconds: verdict.retryAfterSeconds });
        c.header('retry-after', String(verdict.retryAfterSeconds));
        throw new ApiError(
          429,
          'too-many-attempts',
          verdict.scope === 'account'
            ? `Too many failed sign-ins for this account. Wait ${verdict.retryAfterSeconds} seconds and try again, or ask your admin to reset your password.`
            : `Too many failed sign-ins from your network. Wait ${verdict.retryAfterSeconds} seconds and try again.`,
        );
      }
      let session;
      try {
        session = await auth.login(email, password);
      } catch (error) {
        if (error instanceof AuthError && error.code === 'invalid-credentials') {
          await throttle.failed(email, address);
          // Who and from where, never the password.
          logger.warn('auth.login-failed', { email, address });
        } else await throttle.notAFailure(email, address);
        throw error;
      }
      await throttle.succeeded(email, address);
      logger.info('agent.signed-in', { agentId: session.agent.id });
      return c.json(session);
    })
    .post('/refresh', validate('json', refreshRequestSchema), async (c) => {
      const session = await auth.refresh(c.req.valid('json').refreshToken);
      return c.json(session);
    })
    .post('/logout', validate('json', logoutRequestSchema), async (c) => {
      const ended = await auth.logout(c.req.valid('json').refreshToken);
      // Teammates see the agent Offline now, not once 150 s have passed without a request from them.
      if (ended) {
        const agent = await store.getAgent(ended.userId).catch(() => null);
        if (agent) {
          await agentSeen(deps)
            .gone(agent)
            .catch((error: unknown) => logger.warn('presence.gone-failed', { agentId: agent.id, error: error instanceof Error ? error.message : String(error) }));
        }
      }
      return c.body(null, 204);
    });
}
