// Throttles sign-in after failures, per account and per client address, with a backoff that doubles (rate-limiter-flexible).
import { RateLimiterMemory } from 'rate-limiter-flexible';

/** The longest a run of failures blocks sign-in for. */
export const MAX_BLOCK_SECONDS = 15 * 60;

export interface LoginThrottleSettings {
  /** Failures of one account allowed before each further one blocks it for 1, 2, 4… seconds (up to 15 minutes). */
  failuresPerAccount: number;
  /** The same for one client address, over every account it tries. */
  failuresPerAddress: number;
}

export type ThrottleVerdict = { ok: true } | { ok: false; scope: 'account' | 'address'; retryAfterSeconds: number };

function backoff(settingsFree: number, failures: number): number {
  return Math.min(MAX_BLOCK_SECONDS, 2 ** Math.max(0, failures - settingsFree));
}

export function createLoginThrottle(settings: LoginThrottleSettings) {
  // Failures are counted for a day, and forgotten after a day without one; a success forgets the account's.
  const counted = (keyPrefix: string) => new RateLimiterMemory({ keyPrefix, points: 1_000_000, duration: 24 * 3600 });
  const blocked = (keyPrefix: string) => new RateLimiterMemory({ keyPrefix, points: 1, duration: 1 });
  const scopes = {
    account: { free: settings.failuresPerAccount, failures: counted('fail-account'), block: blocked('block-account') },
    address: { free: settings.failuresPerAddress, failures: counted('fail-address'), block: blocked('block-address') },
  };

  return {
    /** Before the password is checked: whether this account or address must wait. */
    async check(account: string, address: string): Promise<ThrottleVerdict> {
      for (const [scope, key] of [['address', address], ['account', account]] as const) {
        const state = await scopes[scope].block.get(key);
        if (state && state.consumedPoints > 1) return { ok: false, scope, retryAfterSeconds: Math.max(1, Math.ceil(state.msBeforeNext / 1000)) };
      }
      return { ok: true };
    },

    async failed(account: string, address: string): Promise<void> {
      for (const [scope, key] of [['account', account], ['address', address]] as const) {
        const s = scopes[scope];
        const { consumedPoints } = await s.failures.penalty(key, 1);
        if (consumedPoints >= s.free) await s.block.block(key, backoff(s.free, consumedPoints));
      }
    },

    /** The account's failures are forgotten; the address's are not (an attacker's own account must not reset them). */
    async succeeded(account: string): Promise<void> {
      await scopes.account.failures.delete(account);
      await scopes.account.block.delete(account);
    },
  };
}
