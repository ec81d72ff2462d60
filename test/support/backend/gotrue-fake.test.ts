// The GoTrue stand-in's admin users API answers supabase-js as GoTrue does: the service role only, GoTrue's errors and paging.
import { randomBytes, randomUUID } from 'node:crypto';
import { isAuthApiError, isAuthWeakPasswordError } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceClient } from '../../../backend/supabase/service-client.js';
import { startGoTrueFake, type GoTrueFake } from './gotrue-fake.js';

const SECRET_KEY = 'sb_secret_' + randomBytes(16).toString('hex');
const PUBLISHABLE_KEY = 'sb_publishable_' + randomBytes(16).toString('hex');

let gotrue: GoTrueFake;
beforeAll(async () => {
  gotrue = await startGoTrueFake({ signing: { alg: 'ES256' }, apiKeys: [SECRET_KEY, PUBLISHABLE_KEY], serviceRoleKeys: [SECRET_KEY], passwordMinLength: 10 });
});
afterAll(() => gotrue?.close());

const admin = (key = SECRET_KEY) => createServiceClient(gotrue.url, key).auth.admin;
const email = () => `user-${randomBytes(4).toString('hex')}@acme.test`;

describe('GoTrue stand-in: admin users API', () => {
  it('creates a confirmed user who can sign in, and refuses the same email twice with email_exists', async () => {
    const address = email();
    const { data, error } = await admin().createUser({ email: address, password: 'long enough!', email_confirm: true, user_metadata: { display_name: 'Ada' } });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ email: address, user_metadata: { display_name: 'Ada' }, email_confirmed_at: expect.any(String) });

    const signIn = await createServiceClient(gotrue.url, SECRET_KEY).auth.signInWithPassword({ email: address, password: 'long enough!' });
    expect(signIn.data.user?.id).toBe(data.user!.id);

    const again = await admin().createUser({ email: address.toUpperCase(), password: 'long enough!', email_confirm: true });
    expect(isAuthApiError(again.error) && [again.error.status, again.error.code]).toEqual([422, 'email_exists']);
  });

  it('keeps a user created without email_confirm from signing in', async () => {
    const address = email();
    await admin().createUser({ email: address, password: 'long enough!' });
    const signIn = await createServiceClient(gotrue.url, SECRET_KEY).auth.signInWithPassword({ email: address, password: 'long enough!' });
    expect(signIn.error?.code).toBe('email_not_confirmed');
  });

  it('refuses a password shorter than the project allows as a weak password', async () => {
    const { error } = await admin().createUser({ email: email(), password: 'short', email_confirm: true });
    expect(isAuthWeakPasswordError(error) && [error.status, error.message, error.reasons]).toEqual([422, 'Password should be at least 10 characters.', ['length']]);
  });

  it('lets only the service role in: no bearer is 401, a publishable key 403 not_admin, a foreign token 403 bad_jwt', async () => {
    const noBearer = await fetch(`${gotrue.url}/auth/v1/admin/users`, { headers: { apikey: SECRET_KEY } });
    expect([noBearer.status, ((await noBearer.json()) as { error_code: string }).error_code]).toEqual([401, 'no_authorization']);

    const publishable = await admin(PUBLISHABLE_KEY).listUsers();
    expect(isAuthApiError(publishable.error) && [publishable.error.status, publishable.error.code]).toEqual([403, 'not_admin']);

    const foreign = await fetch(`${gotrue.url}/auth/v1/admin/users`, { headers: { apikey: SECRET_KEY, authorization: 'Bearer a.b.c' } });
    expect([foreign.status, ((await foreign.json()) as { error_code: string }).error_code]).toEqual([403, 'bad_jwt']);
  });

  it('accepts a token this project signed with the service_role role', async () => {
    const token = await gotrue.signAccessToken({ role: 'service_role' });
    const res = await fetch(`${gotrue.url}/auth/v1/admin/users`, { headers: { apikey: SECRET_KEY, authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const user = await gotrue.signAccessToken({ sub: 'x' });
    const refused = await fetch(`${gotrue.url}/auth/v1/admin/users`, { headers: { apikey: SECRET_KEY, authorization: `Bearer ${user}` } });
    expect(refused.status).toBe(403);
  });

  it('pages users newest first with the Link and X-Total-Count headers supabase-js reads', async () => {
    const total = (await admin().listUsers({ page: 1, perPage: 1000 })).data.users.length;
    const newest = [email(), email(), email()];
    for (const address of newest) gotrue.addUser({ id: randomUUID(), email: address, password: 'long enough!' });

    const first = await admin().listUsers({ page: 1, perPage: 2 });
    expect(first.error).toBeNull();
    expect(first.data.users.map((u) => u.email)).toEqual([newest[2], newest[1]]);
    expect(first.data).toMatchObject({ nextPage: 2, lastPage: Math.ceil((total + 3) / 2), total: total + 3 });
    const second = await admin().listUsers({ page: 2, perPage: 2 });
    expect(second.data.users[0]?.email).toBe(newest[0]);
  });
});
