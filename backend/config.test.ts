import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const twilio = {
  TWILIO_ACCOUNT_SID: 'AC' + 'a'.repeat(32),
  TWILIO_AUTH_TOKEN: 'b'.repeat(32),
  TWILIO_API_KEY: 'SK' + 'c'.repeat(32),
  TWILIO_API_SECRET: 'secret-secret-secret',
  TWILIO_TWIML_APP_SID: 'AP' + 'd'.repeat(32),
  TWILIO_PHONE_NUMBER: '+14155550100',
};

describe('loadConfig', () => {
  it('runs embedded and simulated with no configuration at all', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3003, host: '127.0.0.1', publicBaseUrl: 'http://127.0.0.1:3003', dataDir: '.data',
      telephony: { kind: 'simulated', callerId: '+15005550006' }, database: { kind: 'embedded' }, defaultCountry: 'US', allowedCountries: ['US', 'CA'],
    });
  });

  it('switches to Twilio when every Twilio setting is given, the account and its caller id in one place', () => {
    expect(loadConfig(twilio).telephony).toEqual({
      kind: 'twilio',
      accountSid: twilio.TWILIO_ACCOUNT_SID,
      authToken: twilio.TWILIO_AUTH_TOKEN,
      apiKey: twilio.TWILIO_API_KEY,
      apiSecret: twilio.TWILIO_API_SECRET,
      twimlAppSid: twilio.TWILIO_TWIML_APP_SID,
      callerId: twilio.TWILIO_PHONE_NUMBER,
    });
  });

  it('switches to Supabase when its URL and key are given, with DATABASE_URL for live updates across instances', () => {
    const supabase = { SUPABASE_URL: 'https://x.supabase.co', SUPABASE_SERVICE_ROLE_KEY: 'k'.repeat(40) };
    expect(loadConfig(supabase).database).toEqual({ kind: 'supabase', url: supabase.SUPABASE_URL, serviceRoleKey: supabase.SUPABASE_SERVICE_ROLE_KEY, jwtSecret: undefined, databaseUrl: undefined });
    const databaseUrl = 'postgresql://postgres@db.x.supabase.co:5432/postgres';
    expect(loadConfig({ ...supabase, DATABASE_URL: databaseUrl }).database).toMatchObject({ kind: 'supabase', databaseUrl });
  });

  it("takes TWILIO_EDGE as one of Twilio's edge names, roaming when unset", () => {
    expect(loadConfig({ ...twilio, TWILIO_EDGE: ' Frankfurt ' }).twilioEdge).toBe('frankfurt');
    expect(loadConfig(twilio).twilioEdge).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT /],
    [{ PUBLIC_BASE_URL: 'calls.example.com' }, /^PUBLIC_BASE_URL must be an absolute URL/],
    [{ ...twilio, TWILIO_ACCOUNT_SID: 'XX123' }, /^TWILIO_ACCOUNT_SID must start with AC/],
    [{ ...twilio, TWILIO_PHONE_NUMBER: '415-555-0100' }, /^TWILIO_PHONE_NUMBER must be an E\.164 number/],
    [{ ...twilio, TWILIO_EDGE: 'mars' }, /^TWILIO_EDGE must be one of Twilio's edges: roaming, ashburn/],
    [{ TWILIO_ACCOUNT_SID: twilio.TWILIO_ACCOUNT_SID }, /^TWILIO_AUTH_TOKEN is missing/],
    [{ ALLOWED_COUNTRIES: 'US,Canada' }, /^ALLOWED_COUNTRIES /],
    [{ DEFAULT_COUNTRY: 'GB' }, /^DEFAULT_COUNTRY GB must be one of ALLOWED_COUNTRIES/],
    [{ SUPABASE_URL: 'https://x.supabase.co' }, /^SUPABASE_SERVICE_ROLE_KEY is missing/],
    [{ DATABASE_URL: 'postgresql://postgres@db.x.supabase.co:5432/postgres' }, /^DATABASE_URL is only used in Supabase mode/],
    [{ SUPABASE_URL: 'https://x.supabase.co', SUPABASE_SERVICE_ROLE_KEY: 'k'.repeat(40), DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be a PostgreSQL connection string/],
  ])('stops with one line naming the variable for %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
