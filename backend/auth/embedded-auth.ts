// Embedded auth: agents' scrypt hashes in the local auth shim, HS256 access tokens shaped like Supabase's, rotating refresh tokens.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { Session } from '../../shared/api.js';
import type { SqlClient } from '../db/sql-client.js';
import type { CallStore } from '../store/call-store.js';
import { AuthError, type AuthService } from './auth-service.js';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password-hash.js';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
export const TOKEN_AUDIENCE = 'authenticated';
export const TOKEN_ISSUER = 'click-to-call/embedded';

interface Deps {
  db: SqlClient;
  store: CallStore;
  jwtSecret: string;
  now: () => Date;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function createEmbeddedAuth({ db, store, jwtSecret, now }: Deps): AuthService {
  const key = new TextEncoder().encode(jwtSecret);

  async function issueSession(userId: string, familyId: string): Promise<Session> {
    const agent = await store.getAgent(userId);
    if (!agent) throw new AuthError('not-an-agent');
    const issuedAt = Math.floor(now().getTime() / 1000);
    const exp = issuedAt + ACCESS_TOKEN_TTL_SECONDS;
    const accessToken = await new SignJWT({ email: agent.email, role: 'authenticated', session_id: familyId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuer(TOKEN_ISSUER)
      .setIssuedAt(issuedAt)
      .setExpirationTime(exp)
      .sign(key);
    const refreshToken = randomBytes(32).toString('base64url');
    await db.query(
      'insert into auth.refresh_tokens (token_hash, user_id, family_id, expires_at) values ($1, $2, $3, $4)',
      [sha256(refreshToken), userId, familyId, new Date((issuedAt + REFRESH_TOKEN_TTL_SECONDS) * 1000).toISOString()],
    );
    return { accessToken, refreshToken, expiresAt: new Date(exp * 1000).toISOString(), agent };
  }

  return {
    async login(email, password) {
      const { rows } = await db.query<{ id: string; encrypted_password: string | null }>(
        'select id, encrypted_password from auth.users where lower(email) = lower($1)',
        [email],
      );
      const user = rows[0];
      const ok = await verifyPassword(password, user?.encrypted_password ?? DUMMY_HASH);
      if (!user || !ok) throw new AuthError('invalid-credentials');
      return issueSession(user.id, randomUUID());
    },

    async refresh(refreshToken) {
      // Revoke and read in one statement, so two concurrent uses of one token cannot both succeed.
      const { rows } = await db.query<{ user_id: string; family_id: string; was_revoked: boolean; expired: boolean }>(
        `with old as (select id, revoked from auth.refresh_tokens where token_hash = $1 for update)
         update auth.refresh_tokens t set revoked = true from old
         where t.id = old.id
         returning t.user_id, t.family_id, old.revoked as was_revoked, t.expires_at <= $2::timestamptz as expired`,
        [sha256(refreshToken), now().toISOString()],
      );
      const row = rows[0];
      if (!row || row.expired) throw new AuthError('invalid-refresh-token');
      if (row.was_revoked) {
        // A rotated token used again means it leaked: end the whole session.
        await db.query('update auth.refresh_tokens set revoked = true where family_id = $1', [row.family_id]);
        throw new AuthError('invalid-refresh-token');
      }
      return issueSession(row.user_id, row.family_id);
    },

    async logout(refreshToken) {
      await db.query(
        'update auth.refresh_tokens set revoked = true where family_id = (select family_id from auth.refresh_tokens where token_hash = $1)',
        [sha256(refreshToken)],
      );
    },

    async verifyAccessToken(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          audience: TOKEN_AUDIENCE,
          issuer: TOKEN_ISSUER,
          currentDate: now(),
        });
        if (typeof payload.sub !== 'string') throw new AuthError('invalid-token');
        return { userId: payload.sub, email: typeof payload.email === 'string' ? payload.email : null };
      } catch {
        throw new AuthError('invalid-token');
      }
    },
  };
}

/** Creates (or updates the password of) an agent and their organization in the embedded database. */
export async function addEmbeddedAgent(
  db: SqlClient,
  store: CallStore,
  input: { email: string; password: string; displayName?: string; organizationName: string },
) {
  const email = input.email.trim().toLowerCase();
  const hash = await hashPassword(input.password);
  const displayName = input.displayName?.trim() || email.split('@')[0]!;
  const { rows } = await db.query<{ id: string }>(
    `insert into auth.users (email, encrypted_password, raw_user_meta_data) values ($1, $2, $3)
     on conflict (email) do update set encrypted_password = excluded.encrypted_password
     returning id`,
    [email, hash, JSON.stringify({ display_name: displayName })],
  );
  return store.upsertAgent({ userId: rows[0]!.id, email, displayName, organizationName: input.organizationName });
}
