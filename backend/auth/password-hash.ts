// scrypt password hashes (node:crypto), stored as `scrypt$N$r$p$salt$hash`, compared in constant time, one at a time.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ApiError } from '../http/api-error.js';

const KEY_LENGTH = 64;
/** OWASP's scrypt minimum since 2023: N = 2^17, r = 8, p = 1 (128 MiB, about 0.4 s here). */
export const PASSWORD_COST = { N: 2 ** 17, r: 8, p: 1 } as const;

/**
 * Derivations under way at once, and waiting: each takes 128 MiB and a core for 0.4 s. One at a time leaves the other
 * core of a small machine to the webhooks and the database (bench:webhooks measures the Voice URL during a flood of
 * sign-ins), and a flood queues here instead of taking every libuv thread and the memory from the rest.
 */
const MAX_CONCURRENT = 1;
const MAX_WAITING = 64;
let running = 0;
const waiting: Array<() => void> = [];

async function withSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT) {
    if (waiting.length >= MAX_WAITING) {
      throw new ApiError(503, 'sign-in-busy', 'Sign-in is busy right now: too many people are signing in at once. Try again in a few seconds.');
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else running++;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  const maxmem = 256 * (options.N ?? 0) * (options.r ?? 8) + 32 * 1024 * 1024;
  return withSlot(
    () =>
      new Promise((resolve, reject) =>
        scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...options, maxmem }, (err, key) => (err ? reject(err) : resolve(key))),
      ),
  );
}

export async function hashPassword(password: string, cost: { N: number; r: number; p: number } = PASSWORD_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** A hash to compare against when the email is unknown, so both cases take the same time. */
export const DUMMY_HASH = `scrypt$${PASSWORD_COST.N}$${PASSWORD_COST.r}$${PASSWORD_COST.p}$AAAAAAAAAAAAAAAAAAAAAA$` + 'A'.repeat(86);

/** Whether a stored hash is cheaper than PASSWORD_COST (written before the cost was raised): rehashed at next sign-in. */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split('$');
  return scheme !== 'scrypt' || Number(n) < PASSWORD_COST.N || Number(r) !== PASSWORD_COST.r || Number(p) !== PASSWORD_COST.p;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const N = Number(n);
  // A hash from elsewhere with an absurd cost would take the server's memory: refuse rather than derive.
  if (!Number.isInteger(N) || N > 2 ** 20 || Number(r) > 32 || Number(p) > 16) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N, r: Number(r), p: Number(p) });
  return expected.length === key.length && timingSafeEqual(expected, key);
}
