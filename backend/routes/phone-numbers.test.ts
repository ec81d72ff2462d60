// The organization's phone numbers: admins (and the server's command line) add, list, remove and import them;
// agents only list their own organization's; a number belongs to one organization only.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import twilio from 'twilio';
import type TwilioRequestClient from 'twilio/lib/base/RequestClient.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_TWILIO } from '../../test/support/twilio-cloud/twilio-mode-backend.js';
import { startTwilioCloud, type TwilioCloud } from '../../test/support/twilio-cloud/twilio-cloud.js';
import { ADMIN_CLI_ORGANIZATION_HEADER, ADMIN_CLI_TOKEN_HEADER } from '../admin/admin-cli-token.js';
import { startChildServer, type ChildServer } from '../../test/support/backend/child-process-server.js';
import { createTestBackend, type TestBackend } from '../../test/support/backend/test-backend.js';
import { twilioPhoneNumberSource } from '../twilio/twilio-phone-numbers.js';

let t: TestBackend;
let alice: Record<string, string>;
beforeAll(async () => {
  t = await createTestBackend();
  await t.db.query(`update public.voip_users set role = 'admin' where id = $1`, [t.agents.alice.id]);
  alice = { authorization: `Bearer ${await t.login('alice@acme.test')}` };
});
afterAll(() => t.close());

const send = (method: string, route: string, headers: Record<string, string>, body?: unknown) =>
  t.app.request(route, { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });

describe("an organization's phone numbers", () => {
  it('are added by an admin as E.164, one default at a time, and listed to the agents of that organization only', async () => {
    const added = await send('POST', '/api/admin/phone-numbers', alice, { number: '(415) 555-0900', label: 'Sales', isDefault: true });
    expect(added.status).toBe(201);
    expect(await added.json()).toEqual({ number: { e164: '+14155550900', label: 'Sales', isDefault: true }, created: true });
    await send('POST', '/api/admin/phone-numbers', alice, { number: '+12125550901', label: 'New York', isDefault: true });
    const bob = { authorization: `Bearer ${await t.login('bob@acme.test')}` };
    const listed = await send('GET', '/api/phone-numbers', bob);
    expect(await listed.json()).toEqual({ numbers: [
      { e164: '+12125550901', label: 'New York', isDefault: true },
      { e164: '+14155550900', label: 'Sales', isDefault: false },
    ] });
    const eve = { authorization: `Bearer ${await t.login('eve@globex.test')}` };
    expect(await (await send('GET', '/api/phone-numbers', eve)).json()).toEqual({ numbers: [] });
  });

  it('are refused to agents who are not admins, and to nobody signed in', async () => {
    const bob = { authorization: `Bearer ${await t.login('bob@acme.test')}` };
    expect((await send('POST', '/api/admin/phone-numbers', bob, { number: '+14155550902' })).status).toBe(403);
    expect((await send('POST', '/api/admin/phone-numbers', {}, { number: '+14155550902' })).status).toBe(401);
    expect((await send('GET', '/api/phone-numbers', {})).status).toBe(401);
    expect(await t.deps.store.findPhoneNumber('+14155550902')).toBeNull();
  });

  it('belong to one organization: another organization cannot take one, nor remove it', async () => {
    const cli = { [ADMIN_CLI_TOKEN_HEADER]: t.deps.adminCliToken!, [ADMIN_CLI_ORGANIZATION_HEADER]: 'Globex' };
    const taken = await send('POST', '/api/admin/phone-numbers', cli, { number: '+14155550900' });
    expect(taken.status).toBe(409);
    expect((await taken.json()).error.message).toMatch(/belongs to another organization/);
    expect((await send('DELETE', `/api/admin/phone-numbers/${encodeURIComponent('+14155550900')}`, cli)).status).toBe(404);
    expect(await t.deps.store.findPhoneNumber('+14155550900')).toMatchObject({ organizationId: t.agents.alice.organizationId });
  });

  it('refuse what is not a phone number, in a sentence', async () => {
    const res = await send('POST', '/api/admin/phone-numbers', alice, { number: 'call me' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/is not a phone number/);
  });

  it('can be removed by an admin of their organization', async () => {
    await send('POST', '/api/admin/phone-numbers', alice, { number: '+14155550903' });
    expect((await send('DELETE', `/api/admin/phone-numbers/${encodeURIComponent('+14155550903')}`, alice)).status).toBe(204);
    expect(await t.deps.store.findPhoneNumber('+14155550903')).toBeNull();
  });

  it('are readable through row level security by agents of their organization only', async () => {
    const read = async (userId: string) => {
      await t.db.exec('begin');
      try {
        await t.db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: userId, role: 'authenticated' })]);
        await t.db.exec('set local role authenticated');
        return (await t.db.query<{ e164: string }>('select e164 from public.organization_phone_numbers order by e164')).rows.map((r) => r.e164);
      } finally {
        await t.db.exec('rollback');
      }
    };
    expect(await read(t.agents.bob.id)).toEqual(['+12125550901', '+14155550900']);
    expect(await read(t.agents.eve.id)).toEqual([]);
  });
});

describe("importing the Twilio account's numbers", () => {
  let cloud: TwilioCloud;
  beforeAll(async () => {
    cloud = await startTwilioCloud({
      creds: FAKE_TWILIO,
      voiceUrl: 'http://127.0.0.1:9/unused',
      phoneNumbers: [
        { sid: `PN${'1'.repeat(32)}`, phoneNumber: '+14155550910', friendlyName: 'Support line' },
        { sid: `PN${'2'.repeat(32)}`, phoneNumber: '+14155550900', friendlyName: 'Already ours' },
        { sid: `PN${'3'.repeat(32)}`, phoneNumber: '+16505550911', friendlyName: 'Globex line' },
      ],
    });
  });
  afterAll(() => cloud?.close());

  class LocalTwilio extends twilio.RequestClient {
    override request<T>(opts: TwilioRequestClient.RequestOptions<T>) {
      return super.request<T>({ ...opts, uri: opts.uri.replace('https://api.twilio.com', cloud.restOrigin) });
    }
  }

  it('lists them with incomingPhoneNumbers.list() and adds those no other organization has', async () => {
    await t.deps.store.addPhoneNumber({ organizationId: t.agents.eve.organizationId, e164: '+16505550911', label: '', isDefault: false, twilioSid: null });
    t.deps.phoneNumberSource = twilioPhoneNumberSource(FAKE_TWILIO, { httpClient: new LocalTwilio() });
    try {
      const res = await send('POST', '/api/admin/phone-numbers/import', alice);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        imported: [{ e164: '+14155550910', label: 'Support line', isDefault: false }, { e164: '+14155550900', label: 'Already ours', isDefault: false }],
        skipped: [{ e164: '+16505550911', reason: 'It belongs to another organization.' }],
      });
      expect(await t.deps.store.findPhoneNumber('+14155550910')).toMatchObject({ organizationId: t.agents.alice.organizationId, twilioSid: `PN${'1'.repeat(32)}` });
      expect(await t.deps.store.findPhoneNumber('+16505550911')).toMatchObject({ organizationId: t.agents.eve.organizationId });
    } finally {
      delete t.deps.phoneNumberSource;
    }
  });

  it('fails with the account refused when the API key is wrong', async () => {
    const wrong = twilioPhoneNumberSource({ ...FAKE_TWILIO, apiSecret: 'wrong' }, { httpClient: new LocalTwilio() });
    await expect(wrong.listNumbers()).rejects.toMatchObject({ status: 401 });
  });

  it('is refused in simulated mode, in a sentence', async () => {
    const res = await send('POST', '/api/admin/phone-numbers/import', alice);
    expect(res.status).toBe(409);
    expect((await res.json()).error.message).toMatch(/needs a Twilio account/);
  });
});

describe('npm run numbers:add against the running server', () => {
  let dataDir: string;
  let server: ChildServer | undefined;
  afterAll(async () => {
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const run = (args: string[], env: Record<string, string>) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'backend/cli/add-number.ts', ...args], { env: { ...process.env, ...env } }).then(
      (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
    );

  it('adds the number over the server\'s API while the server holds the database', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'c2c-numbers-cli-'));
    server = await startChildServer('backend/main.ts', { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_PASSWORD: 'demo-password-1' });
    const env = { DATA_DIR: dataDir, SERVER_URL: server.url };
    const done = await run(['--org', 'Demo', '--number', '+14155550920', '--label', 'Main line', '--default'], env);
    expect(done).toMatchObject({ code: 0, out: '+14155550920 (Main line) is now a number of Demo, its default caller id.\n' });
    const again = await run(['--org', 'Demo', '--number', '+14155550920'], env);
    expect(again).toMatchObject({ code: 0, out: '+14155550920 (Main line) was already a number of Demo, its default caller id.\n' });
    const usage = await run(['--org', 'Demo'], env);
    expect(usage.code).toBe(1);
    expect(usage.err).toMatch(/^--number is missing\. Usage: npm run numbers:add/);
    const nobody = await run(['--org', 'Nobody', '--number', '+14155550921'], env);
    expect(nobody.err).toMatch(/There is no organization named "Nobody"/);
  }, 60_000);
});
