// One contract for both softphones: the same calls, driven from the far side, give the same call-state model.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SoftphoneState } from '../protocol/softphone.js';
import { SimulatedSoftphone } from './simulated-softphone.js';
import { SoftphoneError, type Softphone } from './softphone.js';
import { AGENT_TOKEN, startFakeBackend, type FakeBackend } from '../../test/support/extension/fake-backend.js';
import { asDevice, FakeDevice } from '../../test/support/extension/fake-voice-sdk.js';
import { TwilioSoftphone } from './twilio-softphone.js';

interface Harness {
  softphone: Softphone;
  /** Far-side events, as Twilio's cloud (or the simulator) would send them for the current call (once it exists). */
  ring(): Promise<void>;
  answer(): Promise<void>;
  hangUpFarSide(): Promise<void>;
  fail(code: number, message: string): Promise<void>;
  sentDigits(): string[];
  mutedOnFarSide(): boolean | undefined;
  hungUpByAgent(): boolean;
  dialledParams(): Promise<Record<string, unknown> | undefined>;
  signOut(): void;
}

type HarnessFactory = (backend: FakeBackend) => Harness;

const simulated: HarnessFactory = (backend) => {
  let token: string | null = AGENT_TOKEN;
  const softphone = new SimulatedSoftphone({ getAuth: async () => ({ backendUrl: backend.url, accessToken: token }), reconnectMs: 20 });
  const sid = () => softphone.getState().call?.callSid ?? '';
  return {
    softphone,
    ring: async () => backend.push({ type: 'ringing', callSid: sid() }),
    answer: async () => backend.push({ type: 'accept', callSid: sid() }),
    hangUpFarSide: async () => backend.push({ type: 'disconnect', callSid: sid(), status: 'completed' }),
    fail: async (code, message) => {
      backend.push({ type: 'error', callSid: sid(), code, message });
      backend.push({ type: 'disconnect', callSid: sid(), status: 'failed' });
    },
    sentDigits: () => backend.digits.map((d) => d.digits),
    mutedOnFarSide: () => backend.mutes.at(-1)?.muted,
    hungUpByAgent: () => backend.hangups.length > 0,
    dialledParams: async () => backend.dials.at(-1),
    signOut: () => {
      token = null;
    },
  };
};

const twilio: HarnessFactory = (backend) => {
  let token: string | null = AGENT_TOKEN;
  let device: FakeDevice | undefined;
  const softphone = new TwilioSoftphone({
    getAuth: async () => ({ backendUrl: backend.url, accessToken: token }),
    createDevice: (voiceToken) => asDevice((device = new FakeDevice(voiceToken))),
  });
  /** The SDK's Call, once connect() gave it (a moment after the dial: it waits for signalling). */
  const call = () =>
    vi.waitFor(() => {
      const c = device?.lastCall;
      if (!c) throw new Error('no call was connected');
      return c;
    });
  return {
    softphone,
    ring: async () => {
      (await call()).emit('ringing', false);
    },
    answer: async () => {
      const c = await call();
      c.parameters = { CallSid: 'CAtwilio1' };
      c.emit('accept', c);
    },
    hangUpFarSide: async () => {
      const c = await call();
      c.emit('disconnect', c);
    },
    fail: async (code, message) => {
      const c = await call();
      c.emit('error', { code, message });
      c.emit('disconnect', c);
    },
    sentDigits: () => device?.lastCall?.sentDigits ?? [],
    mutedOnFarSide: () => device?.lastCall?.muted,
    hungUpByAgent: () => device?.lastCall?.disconnected ?? false,
    dialledParams: async () => (await call().catch(() => undefined))?.params,
    signOut: () => {
      token = null;
    },
  };
};

const params = { To: '+14155550123', contactName: 'Ada Lovelace', pageUrl: 'https://crm.example/contacts/1', pageTitle: 'Ada — CRM' };

for (const [name, factory] of [
  ['simulated', simulated],
  ['twilio', twilio],
] as const) {
  describe(`${name} softphone contract`, () => {
    let backend: FakeBackend;
    let h: Harness;
    const state = (): SoftphoneState => h.softphone.getState();
    const phase = () => state().call?.phase;

    beforeEach(async () => {
      backend = await startFakeBackend();
      h = factory(backend);
    });
    afterEach(async () => {
      h.softphone.destroy();
      await backend.close();
    });

    it('is ready before the first click', async () => {
      await h.softphone.prepare();
      expect(state()).toMatchObject({ mode: name, ready: true, deviceError: null, call: null });
    });

    it('dials with the number and page details, then follows ringing, answer and the far side hanging up', async () => {
      const seen: string[] = [];
      h.softphone.subscribe((s) => {
        const p = s.call?.phase;
        if (p && seen.at(-1) !== p) seen.push(p);
      });
      await h.softphone.dial(params);
      expect(await h.dialledParams()).toEqual(params);
      expect(phase()).toBe('connecting');
      await h.ring();
      await vi.waitFor(() => expect(phase()).toBe('ringing'));
      await h.answer();
      await vi.waitFor(() => expect(phase()).toBe('open'));
      expect(state().call?.answeredAt).toEqual(expect.any(Number));
      expect(state().call?.callSid).toMatch(/^CA/);
      await h.hangUpFarSide();
      await vi.waitFor(() => expect(phase()).toBe('ended'));
      expect(state().call).toMatchObject({ status: 'completed', to: '+14155550123', contactName: 'Ada Lovelace', error: null });
      expect(seen).toEqual(['connecting', 'ringing', 'open', 'ended']);
    });

    it('hangs up when the agent asks', async () => {
      await h.softphone.dial(params);
      await h.answer();
      await vi.waitFor(() => expect(phase()).toBe('open'));
      await h.softphone.hangup();
      await vi.waitFor(() => expect(phase()).toBe('ended'));
      expect(h.hungUpByAgent()).toBe(true);
      expect(state().call?.status).toBe('completed');
    });

    it('refuses a second call while one is live, in a sentence, and leaves the first alone', async () => {
      await h.softphone.dial(params);
      await expect(h.softphone.dial({ To: '+14155550199' })).rejects.toThrow('A call is already in progress; hang up before calling another number.');
      expect(state().call?.to).toBe('+14155550123');
      expect(phase()).toBe('connecting');
    });

    it('mutes and unmutes on the far side and in the state', async () => {
      await h.softphone.dial(params);
      await h.answer();
      await vi.waitFor(() => expect(phase()).toBe('open'));
      await h.softphone.setMuted(true);
      await vi.waitFor(() => expect(state().call?.muted).toBe(true));
      expect(h.mutedOnFarSide()).toBe(true);
      await h.softphone.setMuted(false);
      await vi.waitFor(() => expect(state().call?.muted).toBe(false));
      expect(h.mutedOnFarSide()).toBe(false);
    });

    it("sends the number's extension with the call for the backend to check and play, never on its own; keypad digits only on an open call", async () => {
      await h.softphone.dial({ ...params, extension: '123' });
      expect(await h.dialledParams()).toMatchObject({ extension: '123' });
      await h.softphone.sendDigits('9');
      expect(h.sentDigits()).toEqual([]);
      await h.answer();
      await vi.waitFor(() => expect(state().call?.phase).toBe('open'));
      await h.softphone.sendDigits('5');
      await vi.waitFor(() => expect(h.sentDigits()).toEqual(['5']));
    });

    it('ends a call that fails for lack of the microphone with a way to fix it', async () => {
      await h.softphone.dial(params);
      await h.fail(31208, 'Permission denied by user');
      await vi.waitFor(() => expect(phase()).toBe('ended'));
      expect(state().call).toMatchObject({ status: 'failed', error: { code: 31208, message: 'Microphone blocked — click to fix.', action: 'open-permission' } });
    });

    it('says in words why a call failed', async () => {
      await h.softphone.dial(params);
      await h.ring();
      await h.fail(31486, 'Busy here');
      await vi.waitFor(() => expect(phase()).toBe('ended'));
      const error = state().call?.error;
      expect(state().call?.status).toBe('failed');
      expect(error?.code).toBe(31486);
      expect(error?.message).toMatch(/busy/i);
      expect(error?.message).toMatch(/^[A-Z].*\.$/);
    });

    it('asks the agent to sign in when there is no session', async () => {
      h.signOut();
      const attempt = h.softphone.dial(params);
      await expect(attempt).rejects.toBeInstanceOf(SoftphoneError);
      await expect(attempt).rejects.toMatchObject({ error: { message: 'Sign in to call.', action: 'sign-in' } });
      expect(await h.dialledParams()).toBeUndefined();
    });
  });
}
