// What only the simulated softphone does: events racing the dial's answer, the stream reopening, the microphone check.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeMicrophoneFailure, MicrophoneProblem } from './microphone.js';
import { SimulatedSoftphone } from './simulated-softphone.js';
import { AGENT_TOKEN, startFakeBackend, type FakeBackend } from '../../test/support/extension/fake-backend.js';

describe('simulated softphone', () => {
  let backend: FakeBackend;
  let softphone: SimulatedSoftphone;
  let microphoneBlocked: boolean;

  beforeEach(async () => {
    backend = await startFakeBackend();
    microphoneBlocked = false;
    softphone = new SimulatedSoftphone({
      getAuth: async () => ({ backendUrl: backend.url, accessToken: AGENT_TOKEN }),
      checkMicrophone: async () => {
        if (microphoneBlocked) throw new DOMException('Permission dismissed', 'NotAllowedError');
      },
      reconnectMs: 10,
    });
  });
  afterEach(async () => {
    softphone.destroy();
    await backend.close();
  });

  it('keeps events that arrive before the dial is answered and applies them in order', async () => {
    backend.beforeDialAnswer = (callSid) => {
      backend.push({ type: 'ringing', callSid });
      backend.push({ type: 'accept', callSid });
    };
    await softphone.prepare();
    await softphone.dial({ To: '+14155550123' });
    await vi.waitFor(() => expect(softphone.getState().call?.phase).toBe('open'));
  });

  it('ignores events for other calls', async () => {
    await softphone.dial({ To: '+14155550123' });
    backend.push({ type: 'accept', callSid: 'CAsomeone-else' });
    backend.push({ type: 'ringing', callSid: softphone.getState().call!.callSid! });
    await vi.waitFor(() => expect(softphone.getState().call?.phase).toBe('ringing'));
  });

  it('reopens its event stream when the backend drops it', async () => {
    await softphone.prepare();
    expect(backend.openStreams()).toBe(1);
    await backend.close();
    const again = await startFakeBackend();
    // Same softphone, new server on another port: point it there and check it reconnects.
    (softphone as unknown as { deps: { getAuth: () => Promise<unknown> } }).deps.getAuth = async () => ({ backendUrl: again.url, accessToken: AGENT_TOKEN });
    await vi.waitFor(() => expect(again.openStreams()).toBe(1), { timeout: 3000 });
    expect(softphone.getState().ready).toBe(true);
    backend = again;
  });

  it('registers for incoming calls once its stream opens, and tries again soon when the backend refuses the registration', async () => {
    backend.refuseRegistrations = 2;
    softphone = new SimulatedSoftphone({ getAuth: async () => ({ backendUrl: backend.url, accessToken: AGENT_TOKEN }), reconnectMs: 10, registrationRetryMs: 20 });
    await softphone.prepare();
    // Refused twice, then taken: well before the next renewal (minutes away), the agent can be rung.
    await vi.waitFor(() => expect(backend.registrations).toEqual([true, true, true]), { timeout: 3000 });
    await new Promise((r) => setTimeout(r, 100));
    expect(backend.registrations).toHaveLength(3);
  });

  it('does not place a call when the microphone is blocked and says how to fix it', async () => {
    microphoneBlocked = true;
    await expect(softphone.dial({ To: '+14155550123' })).rejects.toMatchObject({ error: { code: 31208, action: 'open-permission' } });
    expect(backend.dials).toHaveLength(0);
  });

  it('is not "ready" while the microphone fails, says why, and is ready again once it works', async () => {
    const problem = describeMicrophoneFailure(Object.assign(new Error('x'), { name: 'NotFoundError' }), 'granted');
    let missing = true;
    (softphone as unknown as { deps: { checkMicrophone: () => Promise<void> } }).deps.checkMicrophone = async () => {
      if (missing) throw new MicrophoneProblem(problem);
    };
    await softphone.prepare();
    expect(softphone.getState()).toMatchObject({ ready: false, deviceError: { message: 'No microphone was found. Plug in a headset or a microphone, then call again.' } });
    missing = false;
    await softphone.prepare();
    expect(softphone.getState()).toMatchObject({ ready: true, deviceError: null });
  });

  it('uses the spoken reason of a refused call as the sentence', async () => {
    await softphone.dial({ To: '+19005550100' });
    const callSid = softphone.getState().call!.callSid!;
    backend.push({ type: 'error', callSid, code: 13227, message: 'calls to premium-rate numbers are not allowed' });
    backend.push({ type: 'disconnect', callSid, status: 'failed' });
    await vi.waitFor(() => expect(softphone.getState().call?.phase).toBe('ended'));
    expect(softphone.getState().call?.error?.message).toBe('Calls to premium-rate numbers are not allowed.');
  });

  it('hangs up a call that is still connecting as soon as it has a call SID', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    backend.beforeDialAnswer = () => gate;
    const dialing = softphone.dial({ To: '+14155550123' });
    await vi.waitFor(() => expect(softphone.getState().call?.phase).toBe('connecting'));
    await softphone.hangup();
    release();
    await dialing;
    await vi.waitFor(() => expect(backend.hangups).toEqual(['CAsim1']));
    await vi.waitFor(() => expect(softphone.getState().call?.status).toBe('completed'));
  });
});
