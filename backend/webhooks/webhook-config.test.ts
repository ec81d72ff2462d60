// The webhook settings: defaults per mode (the demo allows its own http receiver, production only public https) and refusals.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';

const twilio = {
  TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`, TWILIO_AUTH_TOKEN: '2'.repeat(32), TWILIO_API_KEY: `SK${'3'.repeat(32)}`,
  TWILIO_API_SECRET: 'x'.repeat(32), TWILIO_TWIML_APP_SID: `AP${'4'.repeat(32)}`, TWILIO_PHONE_NUMBER: '+14155550100',
};

describe('webhook settings', () => {
  it('allow the demo\'s loopback receiver only in the demo, and private targets only when asked for in production', () => {
    expect(loadConfig({}).webhooks).toMatchObject({ allowPrivateTargets: true, allowLoopbackHttp: true, retryHours: 72, timeoutSeconds: 10, concurrencyPerEndpoint: 4 });
    expect(loadConfig(twilio).webhooks).toMatchObject({ allowPrivateTargets: false, allowLoopbackHttp: false });
    expect(loadConfig({ ...twilio, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }).webhooks).toMatchObject({ allowPrivateTargets: true, allowLoopbackHttp: false });
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' }).webhooks).toMatchObject({ allowPrivateTargets: false });
  });

  it('refuse retrying for less than a day, and malformed values, naming the variable', () => {
    expect(() => loadConfig({ WEBHOOK_RETRY_HOURS: '12' })).toThrow(new ConfigError('WEBHOOK_RETRY_HOURS must be at least 24: deliveries are retried for at least a day'));
    expect(() => loadConfig({ WEBHOOK_TIMEOUT_SECONDS: 'soon' })).toThrow(/^WEBHOOK_TIMEOUT_SECONDS /);
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'yes' })).toThrow(/^WEBHOOK_ALLOW_PRIVATE_TARGETS /);
  });
});
