// Sign-in, session refresh and sign-out for agents.
import { Hono } from 'hono';
import { loginRequestSchema, logoutRequestSchema, refreshRequestSchema } from '../../shared/api.js';
import { AuthError } from '../auth/auth-service.js';
import type { AppDeps } from '../app.js';
import { ApiError } from '../http/api-error.js';
import { validate } from '../http/validation.js';

export function authRoutes({ auth, logger }: AppDeps) {
  const asApiError = (error: unknown): never => {
    if (error instanceof AuthError) {
      throw new ApiError(error.code === 'not-an-agent' ? 403 : 401, error.code, error.message);
    }
    throw error;
  };

  return new Hono()
    .post('/login', validate('json', loginRequestSchema), async (c) => {
      const { email, password } = c.req.valid('json');
      const session = await auth.login(email, password).catch(asApiError);
      logger.info('agent.signed-in', { agentId: session.agent.id });
      return c.json(session);
    })
    .post('/refresh', validate('json', refreshRequestSchema), async (c) => {
      const session = await auth.refresh(c.req.valid('json').refreshToken).catch(asApiError);
      return c.json(session);
    })
    .post('/logout', validate('json', logoutRequestSchema), async (c) => {
      await auth.logout(c.req.valid('json').refreshToken);
      return c.body(null, 204);
    });
}
