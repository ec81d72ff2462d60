// The agent's session: sign in and out against the backend, kept in chrome.storage and refreshed before it expires.
import { z } from 'zod';
import { sessionSchema, type Session } from '../../shared/api.js';
import { SESSION_STORAGE_KEY, type AuthInfo, type SignInResult } from '../protocol/extension-messages.js';
import type { ExtensionOptions } from '../lib/options.js';
import { BackendError, requestJson } from '../lib/backend-client.js';

/** Refresh when the access token has less than this left. */
const REFRESH_MARGIN_MS = 2 * 60_000;

/** The session cannot be kept where only the extension reads it (old Chrome): said as a sentence, nothing stored. */
export class InsecureStorageError extends Error {}

export interface KeyValueStorage {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

export interface SessionDeps {
  storage: KeyValueStorage;
  getOptions: () => Promise<ExtensionOptions>;
  fetchImpl?: typeof fetch;
  now?: () => number;
  /**
   * Runs `work` while no other caller holds the named lock: navigator.locks in the worker, which also covers two copies
   * of the worker's code (a restarted worker and its predecessor's last tasks). Refresh tokens rotate, so two refreshes
   * of one token race: the loser would be told its token is spent and sign the agent out.
   */
  lock?: <T>(name: string, work: () => Promise<T>) => Promise<T>;
}

const REFRESH_LOCK = 'c2c-session-refresh';

/** The lock the worker uses: the Web Locks API, or (where it is missing) one promise chain in this context. */
function defaultLock(): <T>(name: string, work: () => Promise<T>) => Promise<T> {
  const locks = (globalThis.navigator as (Navigator & { locks?: LockManager }) | undefined)?.locks;
  if (locks) return <T>(name: string, work: () => Promise<T>) => locks.request(name, work) as Promise<T>;
  return inProcessLock();
}

/** A mutex per name within one JavaScript context: each caller waits for the one before it. */
export function inProcessLock(): <T>(name: string, work: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return (name, work) => {
    const run = (tails.get(name) ?? Promise.resolve()).then(work, work);
    tails.set(name, run.catch(() => undefined));
    return run;
  };
}

export async function readSession(deps: SessionDeps): Promise<Session | null> {
  const stored = (await deps.storage.get(SESSION_STORAGE_KEY))[SESSION_STORAGE_KEY];
  const parsed = sessionSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

export async function signIn(deps: SessionDeps, email: string, password: string): Promise<SignInResult> {
  const trimmed = email.trim();
  if (trimmed === '') return { ok: false, error: 'Enter your email address.', action: null };
  if (password === '') return { ok: false, error: 'Enter your password.', action: null };
  const { backendUrl } = await deps.getOptions();
  try {
    const session = await requestJson({
      backendUrl,
      path: '/api/auth/login',
      body: { email: trimmed, password },
      schema: sessionSchema,
      fetchImpl: deps.fetchImpl,
    });
    await deps.storage.set({ [SESSION_STORAGE_KEY]: session });
    return { ok: true, session };
  } catch (error) {
    if (error instanceof InsecureStorageError) return { ok: false, error: error.message, action: null };
    if (error instanceof BackendError) {
      const message = error.status === 401 ? 'That email and password do not match an agent; check them and try again.' : error.message;
      return { ok: false, error: message, action: error.status === 401 ? null : error.action };
    }
    return { ok: false, error: 'Signing in failed unexpectedly; try again.', action: null };
  }
}

export async function signOut(deps: SessionDeps): Promise<void> {
  const session = await readSession(deps);
  await deps.storage.remove(SESSION_STORAGE_KEY);
  if (!session) return;
  const { backendUrl } = await deps.getOptions();
  // Best effort: the local session is gone whatever the backend says.
  await requestJson({
    backendUrl,
    path: '/api/auth/logout',
    body: { refreshToken: session.refreshToken },
    schema: z.unknown(),
    fetchImpl: deps.fetchImpl,
  }).catch(() => undefined);
}

/**
 * The backend URL and an access token good for at least REFRESH_MARGIN_MS, refreshing it first when needed.
 * A refresh the backend refuses signs the agent out; one that cannot reach it keeps the old token.
 */
export async function getAuth(deps: SessionDeps): Promise<AuthInfo> {
  const { backendUrl } = await deps.getOptions();
  const session = await readSession(deps);
  if (!session) return { backendUrl, accessToken: null };
  const now = (deps.now ?? Date.now)();
  const fresh = (sess: Session) => {
    const expiresAt = Date.parse(sess.expiresAt);
    return Number.isFinite(expiresAt) && expiresAt - now > REFRESH_MARGIN_MS;
  };
  if (fresh(session)) return { backendUrl, accessToken: session.accessToken };
  // One refresh at a time: whoever waited finds the session the first one stored, and uses it.
  const lock = deps.lock ?? defaultLock();
  return lock(REFRESH_LOCK, async () => {
    const current = await readSession(deps);
    if (!current) return { backendUrl, accessToken: null };
    if (fresh(current)) return { backendUrl, accessToken: current.accessToken };
    const refreshed = await refreshSession(deps, current);
    if (refreshed) return { backendUrl, accessToken: refreshed.accessToken };
    const still = await readSession(deps);
    return { backendUrl, accessToken: still && Date.parse(still.expiresAt) > now ? still.accessToken : null };
  });
}

/** Exchanges the refresh token for a new session; null when that failed. */
async function refreshSession(deps: SessionDeps, session: Session): Promise<Session | null> {
  const { backendUrl } = await deps.getOptions();
  try {
    const next = await requestJson({
      backendUrl,
      path: '/api/auth/refresh',
      body: { refreshToken: session.refreshToken },
      schema: sessionSchema,
      fetchImpl: deps.fetchImpl,
    });
    await deps.storage.set({ [SESSION_STORAGE_KEY]: next });
    return next;
  } catch (error) {
    if (error instanceof BackendError && (error.status === 401 || error.status === 400)) {
      await deps.storage.remove(SESSION_STORAGE_KEY);
    }
    return null;
  }
}
