// What the routes need from authentication, whichever provider (embedded or Supabase) is behind it.
import type { Session } from '../../shared/api.js';

import type { SessionRevocations } from './session-revocations.js';

export interface VerifiedToken {
  userId: string;
  email: string | null;
  /** The session the token belongs to (its `session_id` claim). */
  sessionId: string;
  /** When the token expires. */
  expiresAt: Date;
}

export interface AuthService {
  /** Throws AuthError('invalid-credentials') for a wrong email or password, without saying which. */
  login(email: string, password: string): Promise<Session>;
  /** Rotates the refresh token: the one given stops working. */
  refresh(refreshToken: string): Promise<Session>;
  /** Ends the token's session; says whose it was when that session was still signed in (null otherwise). */
  logout(refreshToken: string): Promise<{ userId: string } | null>;
  /**
   * Throws AuthError('invalid-token') for anything but a valid, unexpired access token for this backend, and
   * AuthError('session-ended') for one of a session that was signed out or revoked.
   */
  verifyAccessToken(token: string): Promise<VerifiedToken>;
  /** The sessions ended by this process (and, embedded, loaded from the database at start). */
  revocations: SessionRevocations;
}

export type AuthErrorCode = 'invalid-credentials' | 'invalid-token' | 'session-ended' | 'invalid-refresh-token' | 'not-an-agent' | 'auth-unavailable';

const MESSAGES: Record<AuthErrorCode, string> = {
  'invalid-credentials': 'That email and password do not match an agent. Check them and try again.',
  'invalid-token': 'Your session has expired or is not valid. Sign in again.',
  'session-ended': 'Your session has ended. Sign in again.',
  'invalid-refresh-token': 'Your session has ended. Sign in again.',
  'not-an-agent': 'This account is not an agent of any organization. Ask your admin to add you.',
  'auth-unavailable': 'Sign-in is unavailable right now: the authentication service could not be reached. Try again in a moment.',
};

export class AuthError extends Error {
  override name = 'AuthError';
  constructor(readonly code: AuthErrorCode) {
    super(MESSAGES[code]);
  }
}
