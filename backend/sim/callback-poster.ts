// Posts a signed Twilio webhook over real HTTP, retrying as the URL's connection overrides (#rc=…&rp=…) ask.
import { twilioSignature } from '../twilio/request-signature.js';

export interface PostResult {
  status: number;
  body: string;
  attempts: number;
}

function retryPolicy(url: string): { retries: number; on5xx: boolean; on4xx: boolean; onConnect: boolean } {
  const fragment = new URLSearchParams(url.split('#')[1] ?? '');
  const retries = Math.min(Number(fragment.get('rc') ?? 0) || 0, 5);
  const rp = (fragment.get('rp') ?? '').split(',');
  const all = rp.includes('all');
  return { retries, on5xx: all || rp.includes('5xx'), on4xx: all || rp.includes('4xx'), onConnect: all || rp.includes('ct') || rp.length === 0 };
}

export async function postSignedForm(
  url: string,
  form: Record<string, string>,
  authToken: string,
  options: { fetch?: typeof fetch; retryDelayMs?: number } = {},
): Promise<PostResult> {
  const doFetch = options.fetch ?? fetch;
  const target = url.replace(/#.*$/, '');
  const policy = retryPolicy(url);
  const body = new URLSearchParams(form).toString();
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      const res = await doFetch(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSignature(authToken, target, form),
          'user-agent': 'TwilioProxy/1.1 (click-to-call simulator)',
        },
        body,
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      const retry = (res.status >= 500 && policy.on5xx) || (res.status >= 400 && res.status < 500 && policy.on4xx);
      if (!retry || attempts > policy.retries) return { status: res.status, body: text, attempts };
    } catch (error) {
      if (!policy.onConnect || attempts > policy.retries) throw error;
    }
    await new Promise((r) => setTimeout(r, (options.retryDelayMs ?? 200) * attempts));
  }
}
