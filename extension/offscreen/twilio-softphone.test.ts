// What only the Twilio softphone does: the Voice token's life (fetched ahead, refreshed, retried once) and SDK errors.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AGENT_TOKEN, startFakeBackend, type FakeBackend } from './testing/fake-backend.js';
import { asDevice, FakeDevice } from './testing/fake-voice-sdk.js';
import { TwilioSoftphone } from './twilio-softphone.js';

describe('Twilio softphone', () => {
  let backend: FakeBackend;
  let devices: FakeDevice[];
  let softphone: TwilioSoftphone;

  beforeEach(async () => {
    backend = await startFakeBackend();
    devices = [];
    softphone = new TwilioSoftphone({
      getAuth: async () => ({ backendUrl: backend.url, accessToken: AGENT_TOKEN }),
      createDevice: (token) => {
        const device = new FakeDevice(token);
        devices.push(device);
        return asDevice(device);
      },
    });
  });
  afterEach(async () => {
    softphone.destroy();
    await backend.close();
  });

  it('fetches the Voice token and builds the Device before the first click, once', async () => {
    await Promise.all([softphone.prepare(), softphone.prepare()]);
    expect(backend.tokenRequests).toBe(1);
    expect(devices).toHaveLength(1);
    expect(devices[0]?.tokens).toEqual(['voice-token-1']);
    await softphone.dial({ To: '+14155550123' });
    expect(devices).toHaveLength(1);
  });

  it('refreshes the token when the Device says it will expire', async () => {
    await softphone.prepare();
    devices[0]?.emit('tokenWillExpire', devices[0]);
    await vi.waitFor(() => expect(devices[0]?.tokens).toEqual(['voice-token-1', 'voice-token-2']));
  });

  it('refreshes the token once and retries when connect fails with an expired token', async () => {
    await softphone.prepare();
    devices[0]!.connectFailures = [{ code: 20104, message: 'AccessTokenExpired' }];
    await softphone.dial({ To: '+14155550123' });
    expect(devices[0]?.tokens).toEqual(['voice-token-1', 'voice-token-2']);
    expect(devices[0]?.calls).toHaveLength(1);
    expect(softphone.getState().call?.phase).toBe('connecting');
  });

  it('gives up after one retry and asks the agent to sign in again', async () => {
    await softphone.prepare();
    devices[0]!.connectFailures = [
      { code: 31205, message: 'JWT token expired' },
      { code: 31205, message: 'JWT token expired' },
    ];
    await expect(softphone.dial({ To: '+14155550123' })).rejects.toMatchObject({ error: { action: 'sign-in' } });
    expect(softphone.getState().call).toMatchObject({ phase: 'ended', status: 'failed', error: { code: 31205, action: 'sign-in' } });
  });

  it('turns a blocked microphone at connect into "Microphone blocked — click to fix."', async () => {
    await softphone.prepare();
    devices[0]!.connectFailures = [{ code: 31401, message: 'UserMediaError' }];
    await expect(softphone.dial({ To: '+14155550123' })).rejects.toThrow('Microphone blocked — click to fix.');
    expect(softphone.getState().call?.error?.action).toBe('open-permission');
  });

  it('shows call-quality warnings while they last', async () => {
    await softphone.dial({ To: '+14155550123' });
    const call = devices[0]!.lastCall!;
    call.emit('accept', call);
    call.emit('warning', 'high-rtt', {});
    expect(softphone.getState().call?.warnings).toEqual(['high-rtt']);
    call.emit('warning-cleared', 'high-rtt');
    expect(softphone.getState().call?.warnings).toEqual([]);
  });

  it('ends as canceled when the far side cancels and busy when it rejects', async () => {
    await softphone.dial({ To: '+14155550123' });
    devices[0]!.lastCall!.emit('cancel');
    expect(softphone.getState().call).toMatchObject({ phase: 'ended', status: 'canceled' });
    await softphone.dial({ To: '+14155550124' });
    devices[0]!.lastCall!.emit('reject');
    expect(softphone.getState().call).toMatchObject({ phase: 'ended', status: 'busy', to: '+14155550124' });
  });

  it('says the backend cannot be reached when the token cannot be fetched', async () => {
    await backend.close();
    await softphone.prepare();
    expect(softphone.getState()).toMatchObject({ ready: false, deviceError: { action: 'check-backend' } });
    expect(softphone.getState().deviceError?.message).toMatch(/^Can't reach the backend at http:\/\/127\.0\.0\.1:\d+\./);
  });
});
