// What only the Twilio softphone does: readiness that means registered, bounded waits, hang-up in every phase, token renewal
// that cannot loop, and the end of a call as the backend recorded it — against a fake SDK that fails the way the real one does.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TWILIO_UNREACHABLE_MESSAGE } from '../protocol/voice-errors.js';
import { AGENT_TOKEN, startFakeBackend, type FakeBackend } from '../../test/support/extension/fake-backend.js';
import { asDevice, FakeDevice } from '../../test/support/extension/fake-voice-sdk.js';
import { MAX_TOKEN_RENEWALS, TwilioSoftphone } from './twilio-softphone.js';

describe('Twilio softphone', () => {
  let backend: FakeBackend;
  let devices: FakeDevice[];
  let softphone: TwilioSoftphone;
  /** How the next devices behave: signalling up or down, a token refused with a code. */
  let next: { signalling: 'up' | 'down'; refuseToken: number | null; neverRegisters?: boolean };

  const make = (timeouts = {}) =>
    new TwilioSoftphone({
      getAuth: async () => ({ backendUrl: backend.url, accessToken: AGENT_TOKEN }),
      createDevice: (token) => {
        const device = new FakeDevice(token, next);
        devices.push(device);
        return asDevice(device);
      },
      timeouts: { signallingMs: 60, ringingMs: 60, registrationMs: 60, recordMs: 200, renewBackoffMs: 5, ...timeouts },
    });

  beforeEach(async () => {
    backend = await startFakeBackend();
    devices = [];
    next = { signalling: 'up', refuseToken: null };
    softphone = make();
  });
  afterEach(async () => {
    softphone.destroy();
    await backend.close();
  });

  it('fetches the Voice token and builds the Device before the first click, once, and is ready once it registered', async () => {
    await Promise.all([softphone.prepare(), softphone.prepare()]);
    expect(backend.tokenRequests).toBe(1);
    expect(devices).toHaveLength(1);
    expect(devices[0]?.state).toBe('registered');
    expect(softphone.getState()).toMatchObject({ ready: true, deviceError: null });
    await softphone.dial({ To: '+14155550123' });
    expect(devices).toHaveLength(1);
  });

  it('is not ready while Twilio cannot be reached, and says so once the bound passed', async () => {
    next.signalling = 'down';
    const seen: boolean[] = [];
    softphone.subscribe((s) => seen.push(s.ready));
    await softphone.prepare();
    expect(seen).not.toContain(true);
    expect(softphone.getState()).toMatchObject({ ready: false, deviceError: { message: TWILIO_UNREACHABLE_MESSAGE } });
    devices[0]!.signallingUp();
    await vi.waitFor(() => expect(softphone.getState()).toMatchObject({ ready: true, deviceError: null }));
  });

  it('is ready when signalling connected even if Twilio never confirms the registration', async () => {
    next.neverRegisters = true;
    await softphone.prepare();
    expect(softphone.getState()).toMatchObject({ ready: true, deviceError: null });
  });

  it('refreshes the token when the Device says it will expire, one request at a time', async () => {
    await softphone.prepare();
    devices[0]?.emit('tokenWillExpire', devices[0]);
    devices[0]?.emit('tokenWillExpire', devices[0]);
    await vi.waitFor(() => expect(devices[0]?.tokens).toEqual(['voice-token-1', 'voice-token-2']));
    expect(backend.tokenRequests).toBe(2);
  });

  it('ends a call that cannot reach Twilio with a sentence, and never places it when signalling comes back', async () => {
    next.signalling = 'down';
    await softphone.prepare();
    await softphone.dial({ To: '+14155550123' });
    expect(softphone.getState().call?.phase).toBe('connecting');
    const stuck = devices.at(-1)!;
    await vi.waitFor(() => expect(softphone.getState().call).toMatchObject({ phase: 'ended', status: 'failed', error: { message: TWILIO_UNREACHABLE_MESSAGE } }));
    expect(stuck.destroyed).toBe(true);
    stuck.signallingUp();
    await vi.waitFor(() => expect(stuck.lastCall?.disconnected).toBe(true));
  });

  it('hangs up a call still waiting for signalling: canceled at once, and the call the SDK makes later is dropped', async () => {
    next.signalling = 'down';
    void softphone.prepare();
    await vi.waitFor(() => expect(devices).toHaveLength(1));
    await softphone.dial({ To: '+14155550123' });
    await softphone.hangup();
    expect(softphone.getState().call).toMatchObject({ phase: 'ended', status: 'canceled' });
    expect(devices[0]!.destroyed).toBe(true);
    devices[0]!.signallingUp();
    await vi.waitFor(() => expect(devices[0]!.lastCall?.disconnected).toBe(true));
    // A new device is getting ready, and the agent can dial again.
    next.signalling = 'up';
    devices.at(-1)!.signallingUp();
    await softphone.dial({ To: '+14155550124' });
    expect(softphone.getState().call).toMatchObject({ phase: 'connecting', to: '+14155550124' });
  });

  it('hangs up while ringing (canceled) and in a call (completed)', async () => {
    await softphone.dial({ To: '+14155550123' });
    await vi.waitFor(() => expect(devices[0]!.lastCall).toBeDefined());
    devices[0]!.lastCall!.emit('ringing', false);
    await softphone.hangup();
    expect(softphone.getState().call).toMatchObject({ phase: 'ended', status: 'canceled' });
    expect(devices[0]!.lastCall!.disconnected).toBe(true);

    await softphone.dial({ To: '+14155550124' });
    await vi.waitFor(() => expect(devices[0]!.calls).toHaveLength(2));
    devices[0]!.lastCall!.emit('accept');
    await softphone.hangup();
    expect(softphone.getState().call).toMatchObject({ phase: 'ended', status: 'completed' });
  });

  it('fails a call Twilio never rings within the bound', async () => {
    await softphone.dial({ To: '+14155550123' });
    await vi.waitFor(() => expect(softphone.getState().call).toMatchObject({ phase: 'ended', status: 'failed', error: { message: expect.stringMatching(/did not start the call/) } }));
    expect(devices[0]!.lastCall!.disconnected).toBe(true);
  });

  it(`renews a refused token on a new device at most ${MAX_TOKEN_RENEWALS} times in a row, then asks the agent to sign in`, async () => {
    next.refuseToken = 20104;
    next.signalling = 'down';
    await softphone.prepare();
    await vi.waitFor(() => expect(softphone.getState().deviceError).toMatchObject({ code: 20104, action: 'sign-in' }), { timeout: 2000 });
    await new Promise((r) => setTimeout(r, 100));
    expect(backend.tokenRequests).toBe(1 + MAX_TOKEN_RENEWALS);
    expect(devices).toHaveLength(1 + MAX_TOKEN_RENEWALS);
    expect(devices.every((d) => d.destroyed)).toBe(true);
    expect(softphone.getState().deviceError?.message).toMatch(/clock/);
  });

  it('moves a call that waited on a refused token to the renewed device, which places it', async () => {
    softphone.destroy();
    softphone = make({ renewBackoffMs: 200, signallingMs: 2000 });
    next.refuseToken = 20101;
    next.signalling = 'down';
    void softphone.prepare();
    await vi.waitFor(() => expect(devices).toHaveLength(1));
    next = { signalling: 'up', refuseToken: null };
    await softphone.dial({ To: '+14155550123' });
    await vi.waitFor(() => expect(devices[1]?.lastCall).toBeDefined());
    expect(devices[0]!.destroyed).toBe(true);
    expect(softphone.getState()).toMatchObject({ ready: true, call: { phase: 'connecting' } });
  });

  it('stops at once on credentials Twilio refuses (31202), naming what to check', async () => {
    next.refuseToken = 31202;
    next.signalling = 'down';
    await softphone.prepare();
    await vi.waitFor(() => expect(softphone.getState().deviceError?.message).toMatch(/TWILIO_API_SECRET/));
    await new Promise((r) => setTimeout(r, 50));
    expect(backend.tokenRequests).toBe(1);
    expect(devices[0]!.destroyed).toBe(true);
  });

  it('turns a blocked microphone (disconnect, then the error) into "Microphone blocked — click to fix."', async () => {
    await softphone.dial({ To: '+14155550123' });
    await vi.waitFor(() => expect(devices[0]!.lastCall).toBeDefined());
    devices[0]!.lastCall!.failMicrophone();
    await vi.waitFor(() => expect(softphone.getState().call).toMatchObject({ phase: 'ended', status: 'failed', error: { action: 'open-permission' } }));
  });

  it.each([
    ['busy', null],
    ['no-answer', null],
    ['failed', 'That number is a premium-rate number; calls to it are not allowed.'],
  ])('shows a call Twilio ended as the backend recorded it: %s', async (status, errorMessage) => {
    await softphone.dial({ To: '+14155550123' });
    await vi.waitFor(() => expect(devices[0]!.lastCall).toBeDefined());
    const call = devices[0]!.lastCall!;
    call.parameters = { CallSid: 'CA0001' };
    call.emit('ringing', false);
    backend.recorded = [{ twilioCallSid: 'CA0001', status, errorMessage }];
    call.emit('disconnect', call);
    await vi.waitFor(() => expect(softphone.getState().call).toMatchObject({ phase: 'ended', status }));
    if (errorMessage) expect(softphone.getState().call?.error?.message).toBe(errorMessage);
  });

  it('after a signalling blip, ends a call the backend recorded as ended meanwhile, and keeps one still up', async () => {
    await softphone.dial({ To: '+14155550123' });
    await vi.waitFor(() => expect(devices[0]!.lastCall).toBeDefined());
    const call = devices[0]!.lastCall!;
    call.parameters = { CallSid: 'CA0002' };
    call.emit('accept', call);
    backend.recorded = [{ twilioCallSid: 'CA0002', status: 'in-progress' }];
    call.emit('reconnecting', { code: 53405 });
    call.emit('reconnected');
    await new Promise((r) => setTimeout(r, 100));
    expect(softphone.getState().call).toMatchObject({ phase: 'open', callSid: 'CA0002' });
    expect(call.disconnected).toBe(false);

    backend.recorded = [{ twilioCallSid: 'CA0002', status: 'completed' }];
    call.emit('reconnecting', { code: 53405 });
    call.emit('reconnected');
    await vi.waitFor(() => expect(softphone.getState().call).toMatchObject({ phase: 'ended', status: 'completed' }));
    expect(call.disconnected).toBe(true);
  });

  it('finds the record of a call Twilio ended before naming it (by number and time), never an earlier call to the same number', async () => {
    backend.recorded = [{ twilioCallSid: null, status: 'failed', toNumber: '+14155550123' }];
    await softphone.dial({ To: '+14155550123' });
    await vi.waitFor(() => expect(devices[0]!.lastCall).toBeDefined());
    devices[0]!.lastCall!.emit('disconnect', devices[0]!.lastCall);
    await vi.waitFor(() => expect(softphone.getState().call).toMatchObject({ phase: 'ended', status: 'failed' }));

    // The next call to that number: the failed record is the first call's, so this one shows what the SDK saw.
    await softphone.dial({ To: '+14155550123' });
    await vi.waitFor(() => expect(devices[0]!.calls).toHaveLength(2));
    devices[0]!.lastCall!.emit('disconnect', devices[0]!.lastCall);
    await vi.waitFor(() => expect(softphone.getState().call).toMatchObject({ phase: 'ended', status: 'canceled' }));
  });

  it('does not take an earlier record for a call the microphone ended here', async () => {
    backend.recorded = [{ twilioCallSid: 'CA0009', status: 'no-answer', toNumber: '+14155550123' }];
    await softphone.dial({ To: '+14155550123' });
    await vi.waitFor(() => expect(devices[0]!.lastCall).toBeDefined());
    devices[0]!.lastCall!.failMicrophone();
    await vi.waitFor(() => expect(softphone.getState().call).toMatchObject({ phase: 'ended', status: 'failed', error: { action: 'open-permission' } }));
  });

  it('shows call-quality warnings while they last', async () => {
    await softphone.dial({ To: '+14155550123' });
    await vi.waitFor(() => expect(devices[0]!.lastCall).toBeDefined());
    const call = devices[0]!.lastCall!;
    call.emit('accept', call);
    call.emit('warning', 'high-rtt', {});
    expect(softphone.getState().call?.warnings).toEqual(['high-rtt']);
    call.emit('warning-cleared', 'high-rtt');
    expect(softphone.getState().call?.warnings).toEqual([]);
    call.emit('reconnecting', { code: 53001 });
    expect(softphone.getState().call).toMatchObject({ phase: 'open', warnings: ['signalling-reconnecting'] });
    call.emit('reconnected');
    expect(softphone.getState().call?.warnings).toEqual([]);
  });

  it('says the backend cannot be reached when the token cannot be fetched', async () => {
    await backend.close();
    await softphone.prepare();
    expect(softphone.getState()).toMatchObject({ ready: false, deviceError: { action: 'check-backend' } });
    expect(softphone.getState().deviceError?.message).toMatch(/^Can't reach the backend at http:\/\/127\.0\.0\.1:\d+\./);
  });
});
