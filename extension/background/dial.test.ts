// Placing a call: the number is normalized, one call at a time, sign-in first, failures told and fixed.
import { describe, expect, it, vi } from 'vitest';
import type { OffscreenRequest } from '../protocol/offscreen.js';
import { extensionOptionsSchema } from '../lib/options.js';
import { applySoftphoneEvent, INITIAL_SOFTPHONE_STATE, type SoftphoneState } from '../protocol/softphone.js';
import { ONE_CALL_MESSAGE, placeCall, type DialDeps } from './dial.js';

function setup(opts: { state?: SoftphoneState; signedIn?: boolean; dialAnswer?: unknown } = {}) {
  const sent: OffscreenRequest[] = [];
  const deps: DialDeps = {
    getOptions: async () => extensionOptionsSchema.parse({ defaultCountry: 'US' }),
    getAuth: async () => ({ backendUrl: 'http://127.0.0.1:3003', accessToken: opts.signedIn === false ? null : 'token' }),
    ensureOffscreen: vi.fn(async () => undefined),
    sendToOffscreen: async (message) => {
      sent.push(message);
      if (message.type === 'c2c:offscreen:get-state') return opts.state ?? INITIAL_SOFTPHONE_STATE;
      return opts.dialAnswer ?? { ok: true };
    },
    notifyFailure: vi.fn(async () => undefined),
    openPermissionPage: vi.fn(async () => undefined),
  };
  return { deps, sent };
}

const liveState: SoftphoneState = {
  ...INITIAL_SOFTPHONE_STATE,
  call: applySoftphoneEvent(null, { type: 'dial', id: 'c1', to: '+14155550100', at: 0 }),
};

describe('placeCall', () => {
  it('normalizes what the agent selected and passes the page details and the extension digits (for the backend to check) to the softphone', async () => {
    const { deps, sent } = setup();
    const result = await placeCall({ to: '(415) 555-0123 ext. 42', pageUrl: 'https://crm.example', pageTitle: 'CRM' }, 'context-menu', deps);
    expect(result).toEqual({ ok: true });
    expect(sent.at(-1)).toEqual({ type: 'c2c:offscreen:dial', params: { To: '+14155550123', extension: '42', pageUrl: 'https://crm.example', pageTitle: 'CRM' } });
  });

  it('refuses extension digits that are not digits, * or #, or too many, and places nothing', async () => {
    const { deps, sent } = setup();
    const before = sent.length;
    for (const extension of ['12a', '1'.repeat(17)]) {
      const result = await placeCall({ to: '+14155550123', extension }, 'content', deps);
      expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/extension/) });
    }
    expect(sent.slice(before).some((m) => (m as { type: string }).type === 'c2c:offscreen:dial')).toBe(false);
  });

  it('refuses a second call while one is live and says so', async () => {
    const { deps, sent } = setup({ state: liveState });
    await expect(placeCall({ to: '+14155550123' }, 'content', deps)).resolves.toEqual({ ok: false, error: ONE_CALL_MESSAGE, action: null });
    expect(sent.some((m) => m.type === 'c2c:offscreen:dial')).toBe(false);
    expect(deps.notifyFailure).toHaveBeenCalledWith(ONE_CALL_MESSAGE);
  });

  it('asks to sign in before calling', async () => {
    const { deps, sent } = setup({ signedIn: false });
    await expect(placeCall({ to: '+14155550123' }, 'command', deps)).resolves.toMatchObject({ ok: false, action: 'sign-in', error: expect.stringMatching(/^Sign in to call/) });
    expect(sent).toEqual([]);
  });

  it('explains an invalid selection in a sentence', async () => {
    const { deps } = setup();
    const result = await placeCall({ to: 'hello world' }, 'context-menu', deps);
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/is not a valid phone number/) });
  });

  it('opens the permission page when the microphone is blocked, and the popup gets no notification', async () => {
    const { deps } = setup({ dialAnswer: { ok: false, error: 'Microphone blocked — click to fix.', action: 'open-permission' } });
    await placeCall({ to: '+14155550123' }, 'popup', deps);
    expect(deps.openPermissionPage).toHaveBeenCalledTimes(1);
    expect(deps.notifyFailure).not.toHaveBeenCalled();
  });

  it('says the softphone did not answer when its answer is outside the protocol, and tells the page-side agent', async () => {
    const { deps } = setup({ dialAnswer: { ok: 'sure' } });
    const result = await placeCall({ to: '+14155550123' }, 'content', deps);
    expect(result).toEqual({ ok: false, error: 'The softphone did not answer; reload the extension and try again.', action: null });
    expect(deps.notifyFailure).toHaveBeenCalledWith(result.ok ? '' : result.error);
  });
});
