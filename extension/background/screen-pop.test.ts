// Which page the screen pop opens: only when the agent turned it on, only the caller's earlier http(s) page.
import { describe, expect, it } from 'vitest';
import { screenPopUrl } from './screen-pop.js';

describe('screen pop', () => {
  it("opens the caller's earlier page only when the agent turned it on", () => {
    expect(screenPopUrl({ pageUrl: 'https://crm.example/contacts/7' }, true)).toBe('https://crm.example/contacts/7');
    expect(screenPopUrl({ pageUrl: 'https://crm.example/contacts/7' }, false)).toBeNull();
    expect(screenPopUrl({ pageUrl: null }, true)).toBeNull();
    expect(screenPopUrl(null, true)).toBeNull();
  });

  it('never opens anything but an http(s) page', () => {
    for (const pageUrl of ['javascript:alert(1)', 'chrome://settings', 'file:///etc/passwd', 'data:text/html,x', 'not a url']) {
      expect(screenPopUrl({ pageUrl }, true)).toBeNull();
    }
  });
});
