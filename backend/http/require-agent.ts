// Middleware: a valid agent access token (Bearer header, or ?access_token= for EventSource) or 401.
import { createMiddleware } from 'hono/factory';
import { AuthError, type AuthService, type VerifiedToken } from '../auth/auth-service.js';
import type { CallStore, StoredAgent } from '../store/call-store.js';
import { ApiError, AUTH_ERROR_STATUS } from './api-error.js';

export type AgentEnv = { Variables: { agent: StoredAgent; token: VerifiedToken } };

export function requireAgent(auth: AuthService, store: CallStore, options: { allowQueryToken?: boolean } = {}) {
  return createMiddleware<AgentEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const token = bearer ?? (options.allowQueryToken ? c.req.query('access_token') : undefined);
    if (!token || token.length > 4096) throw new ApiError(401, 'unauthorized', 'Sign in to continue: this request needs an agent access token.');
    let verified: VerifiedToken;
    try {
      verified = await auth.verifyAccessToken(token);
    } catch (error) {
      // A token refused for any reason is answered as invalid-token; an outage goes on as itself (503).
      if (error instanceof AuthError && AUTH_ERROR_STATUS[error.code] === 401) throw new ApiError(401, 'invalid-token', error.message);
      throw error;
    }
    const agent = await store.getAgent(verified.userId);
    if (!agent) throw new ApiError(403, 'not-an-agent', 'This account is not an agent of any organization. Ask your admin to add you.');
    c.set('agent', agent);
    c.set('token', verified);
    await next();
  });
}
