// Embedded auth: agents' scrypt hashes in the local auth shim, HS256 access tokens shaped like Supabase's, rotating refresh tokens.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { Session } from '../../shared/api.js';
import type { SqlClient } from '../db/sql-client.js';
import type { CallStore } from '../store/call-store.js';
import { AuthError, type AuthService, type VerifiedToken } from './auth-service.js';
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from './password-hash.js';
import { SessionRevocations } from './session-revocations.js';

const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
export const TOKEN_AUDIENCE = 'authenticated';
export const TOKEN_ISSUER = 'click-to-call/embedded';
/**
 * A rotated refresh token used again within this many seconds gets a new session in the same family instead of ending
 * it: two tabs, or a retry after a lost response, refresh at once (GoTrue's REFRESH_TOKEN_REUSE_INTERVAL does the same).
 */
export const REFRESH_REUSE_WINDOW_SECONDS = 10;

interface Deps {
  db: SqlClient;
  store: CallStore;
  jwtSecret: string;
  now: () => Date;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function createEmbeddedAuth({ db, store, jwtSecret, now }: Deps): AuthService {
  const key = new TextEncoder().encode(jwtSecret);
  const revocations = new SessionRevocations(ACCESS_TOKEN_TTL_SECONDS, now);
  // Sessions ended while an access token of theirs may still be unexpired, loaded once (one process per DATA_DIR, so
  // afterwards this process's own revocations are all there are).
  let loaded: Promise<void> | null = null;
  const loadRevocations = () =>
    (loaded ??= db
      .query<{ family_id: string; ended_at: string }>('select family_id, ended_at from auth.ended_sessions where ended_at > $1 order by ended_at', [
        new Date(now().getTime() - ACCESS_TOKEN_TTL_SECONDS * 1000).toISOString(),
      ])
      .then(({ rows }) => {
        for (const r of rows) revocations.revoke(r.family_id, new Date(r.ended_at));
      })
      .catch((error: unknown) => {
        loaded = null;
        throw error;
      }));

  async function endSession(familyId: string): Promise<void> {
    await db.query(
      `with ended as (update auth.refresh_tokens set revoked = true where family_id = $1)
       insert into auth.ended_sessions (family_id, ended_at) values ($1, $2) on conflict (family_id) do nothing`,
      [familyId, now().toISOString()],
    );
    revocations.revoke(familyId);
  }

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
      // A hash from before the cost was raised: replaced now, while the password is known.
      if (needsRehash(user.encrypted_password!)) {
        await db.query('update auth.users set encrypted_password = $2 where id = $1', [user.id, await hashPassword(password)]);
      }
      return issueSession(user.id, randomUUID());
    },

    async refresh(refreshToken) {
      // Rotate and read in one statement under the row lock, so concurrent uses of one token see one rotation time.
      const at = now();
      const { rows } = await db.query<{
        user_id: string;
        family_id: string;
        rotated_at: string | null;
        revoked_without_rotation: boolean;
        expired: boolean;
        ended: boolean;
      }>(
        `with old as (select id, revoked, rotated_at from auth.refresh_tokens where token_hash = $1 for update)
         update auth.refresh_tokens t
           set revoked = true, rotated_at = case when old.revoked then old.rotated_at else coalesce(old.rotated_at, $2::timestamptz) end
         from old
         where t.id = old.id
         returning t.user_id, t.family_id,
           case when old.revoked then old.rotated_at end as rotated_at,
           old.revoked and old.rotated_at is null as revoked_without_rotation,
           t.expires_at <= $2::timestamptz as expired,
           exists (select 1 from auth.ended_sessions e where e.family_id = t.family_id) as ended`,
        [sha256(refreshToken), at.toISOString()],
      );
      const row = rows[0];
      // Unknown, expired, signed out, or revoked before rotation times were kept.
      if (!row || row.expired || row.ended || row.revoked_without_rotation) throw new AuthError('invalid-refresh-token');
      if (row.rotated_at !== null) {
        const since = at.getTime() - new Date(row.rotated_at).getTime();
        if (since > REFRESH_REUSE_WINDOW_SECONDS * 1000) {
          // A rotated token used again long after means it leaked: end the whole session.
          await endSession(row.family_id);
          throw new AuthError('invalid-refresh-token');
        }
      }
      return issueSession(row.user_id, row.family_id);
    },
    async logout(refreshToken) {
      const { rows } = await db.query<{ family_id: string; user_id: string; ended: boolean; expired: boolean }>(
        `select t.family_id, t.user_id, t.expires_at <= $2::timestamptz as expired,
           exists (select 1 from auth.ended_sessions e where e.family_id = t.family_id) as ended
         from auth.refresh_tokens t where t.token_hash = $1`,
        [sha256(refreshToken), now().toISOString()],
      );
      const row = rows[0];
      if (!row) return null;
      await endSession(row.family_id);
      // A token of a session already over signs nobody out (and must not make its agent look offline).
      return row.ended || row.expired ? null : { userId: row.user_id };
    },
    async verifyAccessToken(token) {
      let verified: VerifiedToken;
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          audience: TOKEN_AUDIENCE,
          issuer: TOKEN_ISSUER,
          currentDate: now(),
        });
        if (typeof payload.sub !== 'string' || typeof payload.session_id !== 'string' || typeof payload.exp !== 'number') {
          throw new AuthError('invalid-token');
        }
        verified = { userId: payload.sub, email: typeof payload.email === 'string' ? payload.email : null, sessionId: payload.session_id, expiresAt: new Date(payload.exp * 1000) };
      } catch {
        throw new AuthError('invalid-token');
      }
      await loadRevocations();
      if (revocations.isRevoked(verified.sessionId)) throw new AuthError('session-ended');
      return verified;
    },
    revocations,
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
