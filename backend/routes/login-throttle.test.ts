// Sign-in protection: failures throttle the account and the client address with a doubling backoff, failed sign-ins
// are logged without the password, and a hash of the old, cheaper scrypt cost is replaced at the next sign-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { hashPassword, PASSWORD_COST } from '../auth/password-hash.js';
import { createLogger } from '../logger.js';
import { createTestBackend, PASSWORD, type TestBackend } from '../../test/support/backend/test-backend.js';

let t: TestBackend;
let app: ReturnType<typeof createApp>;
const lines: string[] = [];
beforeAll(async () => {
  t = await createTestBackend({ TRUST_PROXY: 'true', LOGIN_FAILURES_PER_ACCOUNT: '5', LOGIN_FAILURES_PER_ADDRESS: '8' });
  app = createApp({ ...t.deps, logger: createLogger('debug', (l) => lines.push(l)) });
});
afterAll(() => t.close());

const login = (email: string, password: string, address: string) =>
  app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.77, ${address}` },
    body: JSON.stringify({ email, password }),
  });

describe('sign-in throttling', () => {
  it('blocks an account after 5 failures, even with the right password, with a sentence and Retry-After; other accounts go on', async () => {
    for (let i = 0; i < 5; i++) expect((await login('alice@acme.test', `wrong password ${i}`, `192.0.2.${i + 1}`)).status).toBe(401);
    const blocked = await login('alice@acme.test', PASSWORD, '192.0.2.50');
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await blocked.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'too-many-attempts',
      message: expect.stringMatching(/^Too many failed sign-ins for this account\. Wait \d+ seconds and try again/),
    });
    expect((await login('bob@acme.test', PASSWORD, '192.0.2.51')).status).toBe(200);

    // The first block is short (1 s); once it has passed the right password works and the failures are forgotten.
    await new Promise((r) => setTimeout(r, Number(blocked.headers.get('retry-after')) * 1000 + 50));
    expect((await login('alice@acme.test', PASSWORD, '192.0.2.52')).status).toBe(200);
    expect((await login('alice@acme.test', 'wrong again', '192.0.2.53')).status).toBe(401);
    expect((await login('alice@acme.test', PASSWORD, '192.0.2.54')).status).toBe(200);
  });

  it('blocks an address that fails on many accounts, and only that address', async () => {
    for (let i = 0; i < 8; i++) expect((await login(`nobody${i}@acme.test`, 'guess', '203.0.113.9')).status).toBe(401);
    const blocked = await login('eve@globex.test', PASSWORD, '203.0.113.9');
    expect(blocked.status).toBe(429);
    expect(((await blocked.json()) as { error: { message: string } }).error.message).toMatch(/^Too many failed sign-ins from your network\. Wait \d+ seconds/);
    expect((await login('eve@globex.test', PASSWORD, '203.0.113.10')).status).toBe(200);
  });

  it('refuses concurrent guesses past the free ones at once, without checking their passwords', async () => {
    const statuses = await Promise.all(Array.from({ length: 12 }, async (_, i) => (await login('mallory@acme.test', `guess ${i}`, `192.0.2.${150 + i}`)).status));
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it('logs each failed sign-in with the email and address, never the password', async () => {
    expect((await login('eve@globex.test', 'hunter2-secret-guess', '192.0.2.99')).status).toBe(401);
    const failed = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'auth.login-failed');
    expect(failed.at(-1)).toMatchObject({ level: 'warn', email: 'eve@globex.test', address: '192.0.2.99' });
    expect(lines.join('\n')).not.toMatch(/hunter2|wrong password|guess"/);
  });
});

describe('password hashing cost', () => {
  it('hashes at N = 2^17 and rehashes an older, cheaper hash at the next sign-in', async () => {
    expect(PASSWORD_COST).toEqual({ N: 131072, r: 8, p: 1 });
    const old = await hashPassword(PASSWORD, { N: 16384, r: 8, p: 1 });
    await t.db.query('update auth.users set encrypted_password = $2 where id = $1', [t.agents.bob.id, old]);
    expect((await login('bob@acme.test', PASSWORD, '192.0.2.120')).status).toBe(200);
    const { rows } = await t.db.query<{ h: string }>('select encrypted_password as h from auth.users where id = $1', [t.agents.bob.id]);
    expect(rows[0]!.h).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect((await login('bob@acme.test', PASSWORD, '192.0.2.121')).status).toBe(200);
  });
});
