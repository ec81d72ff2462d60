// Frames the top page does not own need a confirmation; the page a call is recorded against comes from the sender.
import { describe, expect, it } from 'vitest';
import { framePolicy, pageOfSender } from './frame-policy.js';

const tab = { id: 7, url: 'https://news.example/today', title: 'News of the day' };

describe('framePolicy', () => {
  it('lets the top document dial straight away', () => {
    expect(framePolicy({ frameId: 0, url: tab.url, origin: 'https://news.example', tab })).toEqual({ confirm: false });
  });
  it('lets a same-origin frame dial straight away', () => {
    expect(framePolicy({ frameId: 3, url: 'https://news.example/widget', origin: 'https://news.example', tab })).toEqual({ confirm: false });
  });
  it('asks first for a cross-origin frame, naming both sites', () => {
    const verdict = framePolicy({ frameId: 4, url: 'https://ads.example/ad', origin: 'https://ads.example', tab });
    expect(verdict).toEqual({ confirm: true, why: 'a frame from ads.example, inside news.example', frameHost: 'ads.example' });
  });
  it('asks first for srcdoc and about:blank frames, whose origin is their parent’s', () => {
    expect(framePolicy({ frameId: 5, url: 'about:srcdoc', origin: 'https://news.example', tab }).confirm).toBe(true);
    expect(framePolicy({ frameId: 5, url: 'about:blank', origin: 'https://news.example', tab }).confirm).toBe(true);
  });
  it('asks first for a sandboxed frame (opaque origin)', () => {
    expect(framePolicy({ frameId: 6, url: 'https://news.example/sandboxed', origin: 'null', tab }).confirm).toBe(true);
  });
  it('asks first when Chrome gave no frame id or no tab address', () => {
    expect(framePolicy({ url: 'https://news.example/', origin: 'https://news.example', tab }).confirm).toBe(false);
    expect(framePolicy({ frameId: 2, url: 'https://news.example/', origin: 'https://news.example', tab: { id: 1 } }).confirm).toBe(true);
  });
});

describe('pageOfSender', () => {
  it('records the tab’s page, not the frame’s', () => {
    expect(pageOfSender({ frameId: 4, url: 'https://ads.example/ad', tab })).toEqual({ pageUrl: tab.url, pageTitle: 'News of the day' });
  });
  it('records no address that is not a web page', () => {
    expect(pageOfSender({ url: 'chrome-extension://x/popup.html' })).toEqual({});
  });
});
