// The badge, notifications and the one offscreen document follow the softphone's state.
import { describe, expect, it, vi } from 'vitest';
import { applySoftphoneEvent, INITIAL_SOFTPHONE_STATE, type LiveCall, type SoftphoneEvent, type SoftphoneState } from '../protocol/softphone.js';
import { badgeFor } from './badge.js';
import { ensureOffscreenDocument, OFFSCREEN_PATH, type OffscreenDeps } from './offscreen-document.js';
import { pickSelection } from './selection-dial.js';
import { onSoftphoneState } from './softphone-state-sync.js';

function stateAfter(...events: SoftphoneEvent[]): SoftphoneState {
  let call: LiveCall | null = null;
  for (const event of [{ type: 'dial', id: 'c1', to: '+14155550123', at: 0 } as SoftphoneEvent, ...events]) call = applySoftphoneEvent(call, event);
  return { ...INITIAL_SOFTPHONE_STATE, mode: 'simulated', ready: true, call };
}

describe('badgeFor', () => {
  it('shows each phase of the call', () => {
    expect(badgeFor(INITIAL_SOFTPHONE_STATE).text).toBe('');
    expect(badgeFor(stateAfter()).text).toBe('…');
    expect(badgeFor(stateAfter({ type: 'ringing' })).text).toBe('RING');
    expect(badgeFor(stateAfter({ type: 'accept', at: 1 })).text).toBe('LIVE');
    expect(badgeFor(stateAfter({ type: 'accept', at: 1 }, { type: 'mute', muted: true })).text).toBe('MUTE');
    expect(badgeFor(stateAfter({ type: 'accept', at: 1 }, { type: 'disconnect', at: 2 })).text).toBe('');
    expect(badgeFor(stateAfter({ type: 'disconnect', status: 'busy', at: 2 }))).toMatchObject({ text: '!', title: expect.stringContaining('busy') });
  });
});

describe('onSoftphoneState', () => {
  function deps(cached: SoftphoneState | null) {
    let stored = cached;
    return {
      readCached: async () => stored,
      writeCached: async (s: SoftphoneState) => void (stored = s),
      setBadge: vi.fn(async () => undefined),
      notify: vi.fn(async () => undefined),
      openPermissionPage: vi.fn(async () => undefined),
    };
  }
  const blocked = { type: 'error', error: { code: 31208, message: 'Microphone blocked — click to fix.', action: 'open-permission' } } as const;

  it('notifies once why a call failed and opens the permission page for the microphone', async () => {
    const d = deps(stateAfter(blocked));
    const failed = stateAfter(blocked, { type: 'disconnect', at: 3 });
    await onSoftphoneState(failed, d);
    await onSoftphoneState(failed, d);
    expect(d.notify).toHaveBeenCalledTimes(1);
    expect(d.notify).toHaveBeenCalledWith('call-c1', 'Microphone blocked — click to fix.');
    expect(d.openPermissionPage).toHaveBeenCalledTimes(1);
    expect(d.setBadge).toHaveBeenLastCalledWith(expect.objectContaining({ text: '!' }));
  });

  it('does not notify for a call that ended normally', async () => {
    const d = deps(stateAfter({ type: 'accept', at: 1 }));
    await onSoftphoneState(stateAfter({ type: 'accept', at: 1 }, { type: 'disconnect', at: 5 }), d);
    expect(d.notify).not.toHaveBeenCalled();
  });
});

describe('ensureOffscreenDocument', () => {
  function fakeChrome() {
    const documents: string[] = [];
    const deps: OffscreenDeps & { created: number } = {
      created: 0,
      getURL: (path) => `chrome-extension://id/${path}`,
      getContexts: async (filter) => documents.filter((url) => filter.documentUrls.includes(url)),
      createDocument: async ({ url, reasons }) => {
        expect(reasons).toEqual(['USER_MEDIA', 'WEB_RTC']);
        await new Promise((r) => setTimeout(r, 5));
        if (documents.length > 0) throw new Error('Only a single offscreen document may be created.');
        documents.push(url);
        deps.created += 1;
      },
      ping: async () => documents.length > 0,
      sleep: async () => undefined,
    };
    return deps;
  }

  it('creates one document however many callers race, and waits until it answers', async () => {
    const deps = fakeChrome();
    await Promise.all([ensureOffscreenDocument(deps), ensureOffscreenDocument(deps), ensureOffscreenDocument(deps)]);
    await ensureOffscreenDocument(deps);
    expect(deps.created).toBe(1);
    expect(await deps.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'], documentUrls: [`chrome-extension://id/${OFFSCREEN_PATH}`] })).toHaveLength(1);
  });

  it('fails in a sentence when the document never answers', async () => {
    const deps = { ...fakeChrome(), ping: async () => false };
    await expect(ensureOffscreenDocument(deps)).rejects.toThrow('The softphone did not start; reload the extension and try again.');
  });
});

describe('pickSelection', () => {
  it('takes the first frame with a selection, and says which frame it is in', () => {
    expect(pickSelection([{ result: '' }, { result: '  +1 415 555 0123 ' }, { result: 'other' }])).toEqual({ text: '+1 415 555 0123', frameId: 0 });
    expect(pickSelection([{ result: { text: '', url: 'https://a.example/' }, frameId: 0 }, { result: { text: '415 555 0123', url: 'https://ads.example/' }, frameId: 4 }])).toEqual({
      text: '415 555 0123',
      frameId: 4,
      url: 'https://ads.example/',
    });
    expect(pickSelection([{ result: '   ' }, {}])).toBeNull();
  });
});
