// Throttles sign-in after failures, per account and per client address, with a backoff that doubles (rate-limiter-flexible).
import { RateLimiterMemory } from 'rate-limiter-flexible';

/** The longest a run of failures blocks sign-in for. */
const MAX_BLOCK_SECONDS = 15 * 60;

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
    account: { free: settings.failuresPerAccount, failures: counted('fail-account'), block: blocked('block-account'), inFlight: new Map<string, number>() },
    address: { free: settings.failuresPerAddress, failures: counted('fail-address'), block: blocked('block-address'), inFlight: new Map<string, number>() },
  };
  const done = (scope: 'account' | 'address', key: string) => {
    const left = (scopes[scope].inFlight.get(key) ?? 1) - 1;
    if (left > 0) scopes[scope].inFlight.set(key, left);
    else scopes[scope].inFlight.delete(key);
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

    /**
     * Counts an attempt as a failure before its password is checked, so that concurrent attempts cannot all slip past
     * check(): past the free ones, an attempt while another of the same account or address is still being checked is
     * refused at once. A later attempt (the block has passed) is let through, and its failure doubles the block.
     * Every attempt let through ends with succeeded(), failed() or notAFailure().
     */
    async attempt(account: string, address: string): Promise<ThrottleVerdict> {
      const keys = [['address', address], ['account', account]] as const;
      let refusal: ThrottleVerdict = { ok: true };
      for (const [scope, key] of keys) {
        const s = scopes[scope];
        const { consumedPoints } = await s.failures.penalty(key, 1);
        const busy = (s.inFlight.get(key) ?? 0) > 0;
        if (consumedPoints > s.free && busy && refusal.ok) refusal = { ok: false, scope, retryAfterSeconds: backoff(s.free, consumedPoints) };
      }
      if (!refusal.ok) {
        // Refused, not tried: it is no failure of its own.
        for (const [scope, key] of keys) await scopes[scope].failures.reward(key, 1);
        return refusal;
      }
      for (const [scope, key] of keys) scopes[scope].inFlight.set(key, (scopes[scope].inFlight.get(key) ?? 0) + 1);
      return refusal;
    },

    /** The attempt's password was wrong: it stays counted, and past the free failures it blocks for the backoff. */
    async failed(account: string, address: string): Promise<void> {
      for (const [scope, key] of [['account', account], ['address', address]] as const) {
        const s = scopes[scope];
        done(scope, key);
        const state = await s.failures.get(key);
        const consumed = state?.consumedPoints ?? 0;
        if (consumed >= s.free) await s.block.block(key, backoff(s.free, consumed));
      }
    },

    /** The attempt ended without a wrong password (sign-in unavailable, not an agent): it does not count. */
    async notAFailure(account: string, address: string): Promise<void> {
      done('account', account);
      done('address', address);
      await scopes.account.failures.reward(account, 1);
      await scopes.address.failures.reward(address, 1);
    },

    /** The account's failures are forgotten; the address's are not (an attacker's own account must not reset them). */
    async succeeded(account: string, address: string): Promise<void> {
      done('account', account);
      done('address', address);
      await scopes.account.failures.delete(account);
      await scopes.account.block.delete(account);
      await scopes.address.failures.reward(address, 1);
    },
  };
}
