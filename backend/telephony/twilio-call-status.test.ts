// The Twilio REST status source, with the real twilio library talking over HTTP to a local stand-in for api.twilio.com.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import type TwilioRequestClient from 'twilio/lib/base/RequestClient.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioCallStatusSource } from './twilio-call-status.js';

const ACCOUNT = `AC${'1'.repeat(32)}`;
const settings = { accountSid: ACCOUNT, apiKey: `SK${'2'.repeat(32)}`, apiSecret: 'an-api-key-secret-for-tests' };
const calls: Record<string, { status: string; duration: string | null }> = {
  [`CA${'a'.repeat(32)}`]: { status: 'completed', duration: '42' },
  [`CA${'b'.repeat(32)}`]: { status: 'in-progress', duration: null },
  [`CA${'c'.repeat(32)}`]: { status: 'queued', duration: null },
  [`CA${'d'.repeat(32)}`]: { status: 'no-answer', duration: '0' },
};
const seen: Array<{ url: string; authorization: string | undefined }> = [];
const updates: Array<{ sid: string; form: Record<string, string> }> = [];
let server: Server;
let origin: string;

/** The twilio library's own HTTP client, sending what it would send to api.twilio.com to the local server instead. */
class LocalTwilio extends twilio.RequestClient {
  override request<T>(opts: TwilioRequestClient.RequestOptions<T>) {
    return super.request<T>({ ...opts, uri: opts.uri.replace('https://api.twilio.com', origin) });
  }
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    if (req.url === '/500') {
      res.statusCode = 500;
      res.end(JSON.stringify({ code: 20500, message: 'An internal server error has occurred', status: 500 }));
      return;
    }
    const sid = /\/Calls\/(CA[0-9a-f]{32})\.json$/.exec(req.url ?? '')?.[1];
    const call = sid ? calls[sid] : undefined;
    res.setHeader('content-type', 'application/json');
    if (!call) {
      res.statusCode = 404;
      res.end(JSON.stringify({ code: 20404, message: `The requested resource ${req.url} was not found`, status: 404 }));
      return;
    }
    // calls(sid).update(): Twilio ends the call and answers with the resource.
    if (req.method === 'POST') {
      const form = Object.fromEntries(new URLSearchParams(body));
      updates.push({ sid: sid!, form });
      if (form.Status === 'completed') call.status = 'completed';
    }
    res.end(JSON.stringify({ sid, account_sid: ACCOUNT, status: call.status, duration: call.duration }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('Twilio REST call status source', () => {
  const source = () => twilioCallStatusSource(settings, { httpClient: new LocalTwilio() });

  it.each([
    ['a'.repeat(32), { status: 'completed', duration: 42 }],
    ['b'.repeat(32), { status: 'in-progress', duration: null }],
    ['c'.repeat(32), { status: 'initiated', duration: null }],
    ['d'.repeat(32), { status: 'no-answer', duration: 0 }],
    ['e'.repeat(32), { status: 'unknown' }],
  ])('reports CA%s as Twilio describes it', async (hex, expected) => {
    expect(await source().fetchCallStatus(`CA${hex}`)).toEqual(expected);
  });

  it('fetches the call resource of the configured account with the API key', async () => {
    seen.length = 0;
    await source().fetchCallStatus(`CA${'a'.repeat(32)}`);
    expect(seen).toEqual([
      {
        url: `/2010-04-01/Accounts/${ACCOUNT}/Calls/CA${'a'.repeat(32)}.json`,
        authorization: `Basic ${Buffer.from(`${settings.apiKey}:${settings.apiSecret}`).toString('base64')}`,
      },
    ]);
  });

  it('fails (so the reconciler tries again later) when Twilio answers with an error', async () => {
    const broken = twilioCallStatusSource(settings, {
      httpClient: new (class extends twilio.RequestClient {
        override request<T>(opts: TwilioRequestClient.RequestOptions<T>) {
          return super.request<T>({ ...opts, uri: `${origin}/500` });
        }
      })(),
    });
    await expect(broken.fetchCallStatus(`CA${'a'.repeat(32)}`)).rejects.toThrow();
  });

  it('ends a call by updating its status to completed, and says when Twilio has no such call', async () => {
    const live = `CA${'b'.repeat(32)}`;
    expect(await source().endCall!(live)).toBe('ended');
    expect(updates).toEqual([{ sid: live, form: { Status: 'completed' } }]);
    expect(await source().fetchCallStatus(live)).toMatchObject({ status: 'completed' });
    expect(await source().endCall!(`CA${'e'.repeat(32)}`)).toBe('unknown');
  });
});
