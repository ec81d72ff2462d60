// Finding Chromium for the browser tests, and when a missing one fails the run instead of skipping.
import { describe, expect, it } from 'vitest';
import { e2eRequired, findChromium } from './global-setup.js';

describe('finding Chromium for the browser tests', () => {
  it('uses CHROMIUM_PATH when it is set, and only it', () => {
    expect(findChromium({ CHROMIUM_PATH: '/opt/chromium' }, (p) => p === '/opt/chromium')).toBe('/opt/chromium');
    expect(findChromium({ CHROMIUM_PATH: '/opt/missing' }, (p) => p === '/usr/bin/chromium')).toBeNull();
  });

  it("falls back to Debian's Chromium, and finds none when it is not installed", () => {
    expect(findChromium({}, (p) => p === '/usr/bin/chromium')).toBe('/usr/bin/chromium');
    expect(findChromium({}, () => false)).toBeNull();
  });

  it('requires the browser tests under REQUIRE_E2E=1 or CI=true, and only then', () => {
    expect(e2eRequired({ REQUIRE_E2E: '1' })).toBe(true);
    expect(e2eRequired({ CI: 'true' })).toBe(true);
    expect(e2eRequired({})).toBe(false);
    expect(e2eRequired({ REQUIRE_E2E: '0' })).toBe(false);
  });
});
