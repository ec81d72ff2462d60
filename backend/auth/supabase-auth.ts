// Supabase Auth: the backend proxies sign-in and refresh through supabase-js (the extension holds no Supabase key) and verifies access tokens locally with jose.
import { createRemoteJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { isAuthApiError, type Session as SupabaseSession } from '@supabase/supabase-js';
import type { Session } from '../../shared/api.js';
import type { CallStore } from '../store/call-store.js';
import { createServiceClient } from '../supabase/service-client.js';
import { AuthError, type AuthService, type VerifiedToken } from './auth-service.js';
import { SessionRevocations } from './session-revocations.js';

export interface SupabaseAuthOptions {
  /** The project URL, e.g. https://abcd.supabase.co. */
  url: string;
  /** Sent as `apikey` to Supabase Auth; never leaves the backend. */
  apiKey: string;
  /** The project's JWT secret, for projects that still sign access tokens with HS256. */
  jwtSecret?: string;
  store: CallStore;
  now: () => Date;
}

const ASYMMETRIC = ['ES256', 'RS256', 'EdDSA'];

const unavailable = () => new AuthError('auth-unavailable');

/** jose throws its own errors for a token it refuses; a timeout or anything else (fetch failed) is the key set not answering. */
const keySetUnreachable = (error: unknown) => error instanceof joseErrors.JWKSTimeout || !(error instanceof joseErrors.JOSEError);

export function createSupabaseAuth({ url, apiKey, jwtSecret, store, now }: SupabaseAuthOptions): AuthService {
  const base = url.replace(/\/+$/, '');
  const issuer = `${base}/auth/v1`;
  const secret = jwtSecret ? new TextEncoder().encode(jwtSecret) : null;
  const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`), {
    cacheMaxAge: 10 * 60_000,
    cooldownDuration: 30_000,
    headers: { apikey: apiKey },
  });

  // A client per request: supabase-js keeps one session per client and shares an in-flight refresh between callers,
  // which on a server would mix different agents' sessions.
  const client = () => createServiceClient(base, apiKey);
  // Supabase Auth keeps accepting a signed-out session's access tokens until they expire (an hour by default): the
  // sessions this instance signed out are refused here. Other instances learn of them only at expiry (docs/deploy.md).
  const revocations = new SessionRevocations(24 * 3600, now);

  async function toSession(s: SupabaseSession | null): Promise<Session> {
    if (!s?.access_token || !s.refresh_token) throw unavailable();
    const { userId } = await verify(s.access_token);
    const agent = await store.getAgent(userId);
    if (!agent) throw new AuthError('not-an-agent');
    const expiresAt = new Date((s.expires_at ?? Math.floor(now().getTime() / 1000) + (s.expires_in ?? 3600)) * 1000).toISOString();
    return { accessToken: s.access_token, refreshToken: s.refresh_token, expiresAt, agent };
  }

  async function verify(token: string): Promise<VerifiedToken> {
    let payload: JWTPayload;
    try {
      const { alg } = decodeProtectedHeader(token);
      const options = { issuer, audience: 'authenticated', currentDate: now() };
      if (alg === 'HS256' && secret) payload = (await jwtVerify(token, secret, { ...options, algorithms: ['HS256'] })).payload;
      else if (alg && ASYMMETRIC.includes(alg)) {
        payload = (
          await jwtVerify(token, jwks, { ...options, algorithms: ASYMMETRIC }).catch((error: unknown) => {
            throw keySetUnreachable(error) ? unavailable() : error;
          })
        ).payload;
      }
      else throw new AuthError('invalid-token');
    } catch (error) {
      // The key set being down is an outage, not a bad token.
      if (error instanceof AuthError && error.code === 'auth-unavailable') throw error;
      throw new AuthError('invalid-token');
    }
    if (typeof payload.sub !== 'string' || payload.role !== 'authenticated') throw new AuthError('invalid-token');
    const sessionId = typeof payload.session_id === 'string' ? payload.session_id : `token:${payload.jti ?? payload.iat ?? ''}`;
    if (revocations.isRevoked(sessionId)) throw new AuthError('session-ended');
    const expiresAt = new Date((payload.exp ?? Math.floor(now().getTime() / 1000) + 3600) * 1000);
    return { userId: payload.sub, email: typeof payload.email === 'string' ? payload.email : null, sessionId, expiresAt };
  }

  /** Supabase answers a refused request with 4xx; anything else (network, 5xx) is an outage. */
  const refused = (error: unknown) => isAuthApiError(error) && error.status >= 400 && error.status < 500 && error.status !== 429;

  return {
    async login(email, password) {
      const { data, error } = await client().auth.signInWithPassword({ email, password });
      if (error) throw refused(error) ? new AuthError('invalid-credentials') : unavailable();
      return toSession(data.session);
    },

    async refresh(refreshToken) {
      const { data, error } = await client().auth.refreshSession({ refresh_token: refreshToken });
      if (error) throw refused(error) || error.name === 'AuthSessionMissingError' ? new AuthError('invalid-refresh-token') : unavailable();
      return toSession(data.session);
    },

    async logout(refreshToken) {
      // Supabase ends a session from its access token: exchange the refresh token for one, then sign that session out.
      const c = client();
      const { data, error } = await c.auth.refreshSession({ refresh_token: refreshToken });
      if (error || !data.session) return null;
      const verified = await verify(data.session.access_token).catch(() => null);
      await c.auth.admin.signOut(data.session.access_token, 'local');
      if (verified) revocations.revoke(verified.sessionId);
      return verified ? { userId: verified.userId } : null;
    },

    verifyAccessToken: verify,
    revocations,
  };
}
