// Test helper: a GoTrue-compatible /auth/v1 over real HTTP (password and refresh_token grants, logout, JWKS), standing in for Supabase Auth.
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { SignJWT, exportJWK, generateKeyPair, jwtVerify, type CryptoKey, type JWK } from 'jose';

export type SigningMode = { alg: 'HS256'; secret: string } | { alg: 'ES256' } | { alg: 'RS256' };

export interface GoTrueFakeOptions {
  signing: SigningMode;
  /** The API keys the gateway accepts in the `apikey` header. */
  apiKeys: string[];
  accessTokenTtlSeconds?: number;
  now?: () => Date;
}

export interface GoTrueFake {
  /** The project URL (SUPABASE_URL); the auth API is under /auth/v1. */
  url: string;
  addUser(user: { id: string; email: string; password: string }): void;
  /** Signs an access token exactly as this project's Auth would, with claims overridable for negative tests. */
  signAccessToken(claims: Record<string, unknown>, options?: { expiresIn?: number; header?: Record<string, unknown> }): Promise<string>;
  requests: Array<{ path: string; grantType: string | undefined; apikey: string | undefined }>;
  close(): Promise<void>;
}

interface SessionRecord {
  userId: string;
  refreshTokens: Set<string>;
  revoked: boolean;
}

const authError = (status: number, errorCode: string, msg: string) => ({ status, body: { code: status, error_code: errorCode, msg } });

export type GoTrueRoutes = Omit<GoTrueFake, 'url' | 'close'> & { app: Hono };

/** The routes alone, to mount beside others; `baseUrl` is the project URL they are served under (for `iss`). */
export async function goTrueApp(options: GoTrueFakeOptions, baseUrl: () => string): Promise<GoTrueRoutes> {
  const now = options.now ?? (() => new Date());
  const ttl = options.accessTokenTtlSeconds ?? 3600;
  const kid = randomBytes(8).toString('hex');
  let signingKey: CryptoKey | Uint8Array;
  let publicJwk: JWK | null = null;
  if (options.signing.alg === 'HS256') {
    signingKey = new TextEncoder().encode(options.signing.secret);
  } else {
    const pair = await generateKeyPair(options.signing.alg, { extractable: true });
    signingKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: options.signing.alg, use: 'sig', key_ops: ['verify'] };
  }

  const users = new Map<string, { id: string; email: string; password: string }>();
  const sessions = new Map<string, SessionRecord>();
  const refreshIndex = new Map<string, string>();
  const usedRefreshTokens = new Set<string>();
  const requests: GoTrueFake['requests'] = [];

  async function signAccessToken(claims: Record<string, unknown>, opts: { expiresIn?: number; header?: Record<string, unknown> } = {}) {
    const iat = Math.floor(now().getTime() / 1000);
    return new SignJWT({ iss: `${baseUrl()}/auth/v1`, aud: 'authenticated', role: 'authenticated', aal: 'aal1', is_anonymous: false, ...claims })
      .setProtectedHeader({ alg: options.signing.alg, typ: 'JWT', ...(publicJwk ? { kid } : {}), ...opts.header })
      .setIssuedAt(iat)
      .setExpirationTime(iat + (opts.expiresIn ?? ttl))
      .sign(signingKey);
  }

  async function sessionBody(sessionId: string) {
    const record = sessions.get(sessionId)!;
    const user = [...users.values()].find((u) => u.id === record.userId)!;
    const refreshToken = randomBytes(9).toString('base64url');
    record.refreshTokens.add(refreshToken);
    refreshIndex.set(refreshToken, sessionId);
    const iat = Math.floor(now().getTime() / 1000);
    const accessToken = await signAccessToken({
      sub: user.id, email: user.email, phone: '', session_id: sessionId,
      app_metadata: { provider: 'email', providers: ['email'] }, user_metadata: {},
      amr: [{ method: 'password', timestamp: iat }],
    });
    return {
      access_token: accessToken, token_type: 'bearer', expires_in: ttl, expires_at: iat + ttl, refresh_token: refreshToken,
      user: { id: user.id, aud: 'authenticated', role: 'authenticated', email: user.email, app_metadata: { provider: 'email', providers: ['email'] }, user_metadata: {}, created_at: now().toISOString() },
    };
  }

  const app = new Hono()
    .use('/auth/v1/*', async (c, next) => {
      const apikey = c.req.header('apikey');
      requests.push({ path: c.req.path, grantType: c.req.query('grant_type'), apikey });
      // The key set is public; every other endpoint needs a project API key.
      if (c.req.path.endsWith('/.well-known/jwks.json')) return next();
      if (!apikey || !options.apiKeys.includes(apikey)) return c.json({ message: 'Invalid API key' }, 401);
      await next();
    })
    .get('/auth/v1/.well-known/jwks.json', (c) => c.json({ keys: publicJwk ? [publicJwk] : [] }))
    .post('/auth/v1/token', async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
      const grant = c.req.query('grant_type');
      if (grant === 'password') {
        const user = users.get(String(body.email ?? '').toLowerCase());
        if (!user || user.password !== body.password) {
          const e = authError(400, 'invalid_credentials', 'Invalid login credentials');
          return c.json(e.body, 400);
        }
        const sessionId = randomUUID();
        sessions.set(sessionId, { userId: user.id, refreshTokens: new Set(), revoked: false });
        return c.json(await sessionBody(sessionId));
      }
      if (grant === 'refresh_token') {
        const token = String(body.refresh_token ?? '');
        const sessionId = refreshIndex.get(token);
        const session = sessionId ? sessions.get(sessionId) : undefined;
        if (!sessionId || !session || session.revoked) {
          return c.json(authError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found').body, 400);
        }
        if (usedRefreshTokens.has(token)) {
          // Reuse of a rotated token revokes the whole session, as GoTrue does outside its reuse interval.
          session.revoked = true;
          return c.json(authError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used').body, 400);
        }
        usedRefreshTokens.add(token);
        return c.json(await sessionBody(sessionId));
      }
      return c.json(authError(400, 'validation_failed', 'unsupported_grant_type').body, 400);
    })
    .post('/auth/v1/logout', async (c) => {
      const bearer = c.req.header('authorization')?.match(/^Bearer (\S+)$/)?.[1];
      if (!bearer) return c.json(authError(401, 'no_authorization', 'This endpoint requires a Bearer token').body, 401);
      try {
        const key = publicJwk ? (await import('jose')).importJWK(publicJwk, publicJwk.alg) : Promise.resolve(signingKey);
        const { payload } = await jwtVerify(bearer, await key, { currentDate: now() });
        const session = sessions.get(String(payload.session_id));
        if (session) session.revoked = true;
        return c.body(null, 204);
      } catch {
        return c.json(authError(403, 'bad_jwt', 'invalid JWT').body, 403);
      }
    });

  return {
    app,
    addUser(user) {
      users.set(user.email.toLowerCase(), user);
    },
    signAccessToken,
    requests,
  };
}

export async function startGoTrueFake(options: GoTrueFakeOptions): Promise<GoTrueFake> {
  let url = '';
  const { app, ...routes } = await goTrueApp(options, () => url);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, ...routes, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
