// @vitest-environment jsdom
// Tests for reading tel: links and the rule for taking over their clicks.
import { describe, expect, it } from 'vitest';
import { shouldTakeOverClick, telHrefToNumber, telLinkMisleads } from './tel-links.js';

describe('tel: links', () => {
  it('reads the number and extension a tel: href dials', () => {
    expect(telHrefToNumber('tel:+1-800-555-0123', 'US')).toEqual({ e164: '+18005550123' });
    expect(telHrefToNumber('tel:(212)%20555-0183;ext=204', 'US')).toEqual({ e164: '+12125550183', extension: '204' });
    expect(telHrefToNumber('TEL:020 7946 0100', 'GB')).toEqual({ e164: '+442079460100' });
  });

  it('refuses hrefs that are not callable numbers', () => {
    expect(telHrefToNumber('tel:12', 'US')).toBeNull();
    expect(telHrefToNumber('mailto:a@example.com', 'US')).toBeNull();
    expect(telHrefToNumber('tel:%E0%A4%A', 'US')).toBeNull();
  });

  it('never takes over a synthetic click, a modified click, or when the options say no', () => {
    const synthetic = new MouseEvent('click', { button: 0 });
    expect(synthetic.isTrusted).toBe(false);
    expect(shouldTakeOverClick(synthetic, true)).toBe(false);
    // isTrusted cannot be forged on a real event: a plain object stands for a click the user made.
    const trusted = (init: Partial<MouseEvent>) =>
      ({ isTrusted: true, defaultPrevented: false, button: 0, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...init }) as MouseEvent;
    expect(shouldTakeOverClick(trusted({ button: 0 }), true)).toBe(true);
    expect(shouldTakeOverClick(trusted({ button: 0 }), false)).toBe(false);
    expect(shouldTakeOverClick(trusted({ button: 0, ctrlKey: true }), true)).toBe(false);
  });
});

describe('telLinkMisleads', () => {
  it('lets a link through whose text is the number it dials, or words', () => {
    expect(telLinkMisleads('+1 (415) 555-0183', { e164: '+14155550183' }, 'US')).toBeNull();
    expect(telLinkMisleads('Call our sales desk', { e164: '+14155550181' }, 'US')).toBeNull();
    expect(telLinkMisleads('(415) 555-0182 x204', { e164: '+14155550182', extension: '204' }, 'US')).toBeNull();
  });
  it('refuses a link that shows one number and dials another', () => {
    expect(telLinkMisleads('+1 (415) 555-0132', { e164: '+12129761234' }, 'US')).toMatch(/different number/);
  });
  it('refuses a link that dials extension digits it does not show, or too many of them', () => {
    expect(telLinkMisleads('+1 (415) 555-0182', { e164: '+14155550182', extension: '900' }, 'US')).toMatch(/does not show/);
    expect(telLinkMisleads('Call our sales desk', { e164: '+14155550181', extension: '9005550132' }, 'US')).toMatch(/too many/);
  });
});
