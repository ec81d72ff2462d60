// Test helper: a GoTrue-compatible /auth/v1 over real HTTP (password and refresh_token grants, logout, JWKS, the admin users API), standing in for Supabase Auth.
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type CryptoKey, type JWK } from 'jose';
import { z } from 'zod';

export type SigningMode = { alg: 'HS256'; secret: string } | { alg: 'ES256' } | { alg: 'RS256' };

export interface GoTrueFakeOptions {
  signing: SigningMode;
  /** The API keys the gateway accepts in the `apikey` header. */
  apiKeys: string[];
  accessTokenTtlSeconds?: number;
  now?: () => Date;
  /**
   * Opaque secret keys (`sb_secret_…`) the gateway lets act as the service role on /admin. A JWT bearer is admitted when
   * this project signed it with the role service_role or supabase_admin, as GoTrue decides.
   */
  serviceRoleKeys?: string[];
  /** GoTrue's minimum password length for users created through /admin/users (its default is 6). */
  passwordMinLength?: number;
  /** Called for each user created through /admin/users, to record it where the project's database keeps users (auth.users). */
  onCreateUser?: (user: { id: string; email: string }) => Promise<void>;
}

export interface GoTrueFake {
  /** The project URL (SUPABASE_URL); the auth API is under /auth/v1. */
  url: string;
  /** Adds a user with a confirmed email, as if they had signed up earlier. */
  addUser(user: { id: string; email: string; password: string; userMetadata?: Record<string, unknown> }): void;
  /** Signs an access token exactly as this project's Auth would, with claims overridable for negative tests. */
  signAccessToken(claims: Record<string, unknown>, options?: { expiresIn?: number; header?: Record<string, unknown> }): Promise<string>;
  requests: Array<{ method: string; path: string; grantType: string | undefined; apikey: string | undefined }>;
  close(): Promise<void>;
}

interface SessionRecord {
  userId: string;
  refreshTokens: Set<string>;
  revoked: boolean;
}

const authError = (status: number, errorCode: string, msg: string) => ({ status, body: { code: status, error_code: errorCode, msg } });

interface UserRecord {
  id: string;
  email: string;
  password: string;
  emailConfirmedAt: string | null;
  userMetadata: Record<string, unknown>;
  createdAt: string;
  /** Creation order, to sort users created within the same millisecond. */
  seq: number;
}

const ADMIN_ROLES = ['service_role', 'supabase_admin'];
const API_VERSION = '2024-01-01';

/**
 * An error as GoTrue writes it: `{ code, message }` to a client that sent X-Supabase-Api-Version 2024-01-01 (as supabase-js
 * does), else the legacy `{ code: status, error_code, msg }`.
 */
function apiError(c: Context, status: 400 | 401 | 403 | 422, errorCode: string, message: string, extra: Record<string, unknown> = {}) {
  if ((c.req.header('x-supabase-api-version') ?? '') >= API_VERSION) {
    c.header('x-supabase-api-version', API_VERSION);
    return c.json({ code: errorCode, message, ...extra }, status);
  }
  c.header('x-sb-error-code', errorCode);
  return c.json({ code: status, error_code: errorCode, msg: message, ...extra }, status);
}

const adminCreateSchema = z.object({
  email: z.string().optional(),
  phone: z.string().optional(),
  password: z.string().optional(),
  email_confirm: z.boolean().optional(),
  user_metadata: z.record(z.string(), z.unknown()).optional(),
});

const pageNumber = z.coerce.number().int().min(1);

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

  const users = new Map<string, UserRecord>();
  let userSeq = 0;
  const passwordMinLength = options.passwordMinLength ?? 6;
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

  /** This project's verification key: the HS256 secret, or the public key it publishes. */
  const verificationKey = () => (publicJwk ? importJWK(publicJwk, publicJwk.alg) : Promise.resolve(signingKey));

  const userJson = (u: UserRecord) => ({
    id: u.id, aud: 'authenticated', role: 'authenticated', email: u.email, email_confirmed_at: u.emailConfirmedAt, phone: '',
    confirmed_at: u.emailConfirmedAt, last_sign_in_at: null, app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: u.userMetadata, identities: [], created_at: u.createdAt, updated_at: u.createdAt, is_anonymous: false,
  });

  /** GoTrue's requireAdmin: a Bearer token, valid for this project, whose role is an admin role. */
  async function refuseNonAdmin(c: Context): Promise<Response | null> {
    const bearer = c.req.header('authorization')?.match(/^Bearer (\S+)$/i)?.[1];
    if (!bearer) return apiError(c, 401, 'no_authorization', 'This endpoint requires a Bearer token');
    if (options.serviceRoleKeys?.includes(bearer)) return null;
    // Any other project key reaches GoTrue as the anon role (the gateway swaps a publishable key for an anon JWT).
    if (options.apiKeys.includes(bearer) && !bearer.includes('.')) return apiError(c, 403, 'not_admin', 'User not allowed');
    let role: unknown;
    try {
      role = (await jwtVerify(bearer, await verificationKey(), { currentDate: now() })).payload.role;
    } catch (error) {
      return apiError(c, 403, 'bad_jwt', `invalid JWT: unable to parse or verify signature, ${error instanceof Error ? error.message : String(error)}`);
    }
    return typeof role === 'string' && ADMIN_ROLES.includes(role) ? null : apiError(c, 403, 'not_admin', 'User not allowed');
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
      requests.push({ method: c.req.method, path: c.req.path, grantType: c.req.query('grant_type'), apikey });
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
        if (!user.emailConfirmedAt) return c.json(authError(400, 'email_not_confirmed', 'Email not confirmed').body, 400);
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
        const { payload } = await jwtVerify(bearer, await verificationKey(), { currentDate: now() });
        const session = sessions.get(String(payload.session_id));
        if (session) session.revoked = true;
        return c.body(null, 204);
      } catch {
        return c.json(authError(403, 'bad_jwt', 'invalid JWT').body, 403);
      }
    })
    .use('/auth/v1/admin/*', async (c, next) => (await refuseNonAdmin(c)) ?? next())
    .post('/auth/v1/admin/users', async (c) => {
      const parsed = adminCreateSchema.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) return apiError(c, 400, 'bad_json', 'Could not parse request body as JSON');
      const body = parsed.data;
      if (!body.email && !body.phone) return apiError(c, 400, 'validation_failed', 'Cannot create a user without either an email or phone');
      if (!body.email) return apiError(c, 400, 'validation_failed', 'This stand-in creates users by email only');
      const email = body.email.trim().toLowerCase();
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return apiError(c, 400, 'email_address_invalid', 'Unable to validate email address: invalid format');
      if (users.has(email)) return apiError(c, 422, 'email_exists', 'A user with this email address has already been registered');
      if (body.password && body.password.length < passwordMinLength) {
        return apiError(c, 422, 'weak_password', `Password should be at least ${passwordMinLength} characters.`, { weak_password: { reasons: ['length'] } });
      }
      const at = now().toISOString();
      const user: UserRecord = {
        id: randomUUID(), email, password: body.password || randomBytes(32).toString('base64url'),
        emailConfirmedAt: body.email_confirm ? at : null, userMetadata: body.user_metadata ?? {}, createdAt: at, seq: ++userSeq,
      };
      await options.onCreateUser?.({ id: user.id, email });
      users.set(email, user);
      return c.json(userJson(user));
    })
    .get('/auth/v1/admin/users', (c) => {
      const page = pageNumber.default(1).safeParse(c.req.query('page') || undefined);
      const perPage = pageNumber.max(1000).default(50).safeParse(c.req.query('per_page') || undefined);
      if (!page.success || !perPage.success) return apiError(c, 400, 'validation_failed', 'Bad Pagination Parameters');
      // As GoTrue: newest first, a Link header with the next (if any) and last pages, and the total in X-Total-Count.
      const all = [...users.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.seq - a.seq);
      const lastPage = Math.max(Math.ceil(all.length / perPage.data), 1);
      const link = (p: number) => `</admin/users?page=${p}&per_page=${perPage.data}>`;
      c.header('link', `${page.data < lastPage ? `${link(page.data + 1)}; rel="next", ` : ''}${link(lastPage)}; rel="last"`);
      c.header('x-total-count', String(all.length));
      const slice = all.slice((page.data - 1) * perPage.data, page.data * perPage.data);
      return c.json({ users: slice.map(userJson), aud: 'authenticated' });
    });

  return {
    app,
    addUser(user) {
      const at = now().toISOString();
      users.set(user.email.toLowerCase(), {
        id: user.id, email: user.email.toLowerCase(), password: user.password, emailConfirmedAt: at,
        userMetadata: user.userMetadata ?? {}, createdAt: at, seq: ++userSeq,
      });
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
