// Every message is validated on receipt and accepted only from the context allowed to send it.
import { describe, expect, it, vi } from 'vitest';
import { INITIAL_SOFTPHONE_STATE } from '../protocol/softphone.js';
import { routeMessage, senderKind, type RouterDeps } from './message-router.js';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${ID}/`;
const popup = { id: ID, url: `${ORIGIN}extension/popup/index.html` };
const popupInTab = { ...popup, tab: { id: 7 } };
const crmTab = { id: 3, url: 'https://crm.example/contacts/1', title: 'Contacts · Acme CRM', active: true };
/** The same page in a tab behind the one the agent looks at. */
const backgroundTab = { id: 4, url: 'https://evil.example/', title: 'Evil', active: false };
const contentScript = { id: ID, url: 'https://crm.example/contacts/1', origin: 'https://crm.example', frameId: 0, tab: crmTab };
const adFrame = { id: ID, url: 'https://ads.example/ad', origin: 'https://ads.example', frameId: 5, tab: crmTab };
const offscreen = { id: ID, url: `${ORIGIN}extension/offscreen/index.html` };
const otherExtension = { id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', url: 'chrome-extension://zzz/x.html' };

function deps(): RouterDeps & { [K in keyof RouterDeps]: RouterDeps[K] } {
  return {
    extensionId: ID,
    extensionOrigin: ORIGIN,
    placeCall: vi.fn(async () => ({ ok: true as const })),
    forward: vi.fn(async () => ({ ok: true as const })),
    getState: vi.fn(async () => INITIAL_SOFTPHONE_STATE),
    signIn: vi.fn(async () => ({ ok: false as const, error: 'x', action: null })),
    signOut: vi.fn(async () => undefined),
    getAuth: vi.fn(async () => ({ backendUrl: 'http://127.0.0.1:3003', accessToken: null })),
    openPermissionPage: vi.fn(async () => undefined),
    onSoftphoneState: vi.fn(async () => undefined),
    siteDisabled: vi.fn(async (url: string | undefined) => url?.startsWith('https://off.example') ?? false),
    confirmDial: vi.fn(async () => ({ ok: true as const })),
    pendingDial: vi.fn(async () => ({ found: false as const })),
    confirmPendingDial: vi.fn(async () => ({ ok: true as const })),
    cancelPendingDial: vi.fn(async () => undefined),
    notifyRefusedClick: vi.fn(async () => undefined),
    offscreenUrl: `${ORIGIN}extension/offscreen/`,
    callBarView: vi.fn(async () => null),
    tellTab: vi.fn(async () => undefined),
    wrapUp: { offer: vi.fn(async () => null), save: vi.fn(async () => ({ ok: true as const })), skip: vi.fn(async () => undefined), reopen: vi.fn(async () => undefined) },
  };
}

const dial = { type: 'c2c:dial', e164: '+14155550123', text: '(415) 555-0123' };

describe('senderKind', () => {
  it('tells extension pages (even opened in a tab), content scripts and strangers apart', () => {
    expect(senderKind(popup, ID, ORIGIN)).toBe('extension-page');
    expect(senderKind(popupInTab, ID, ORIGIN)).toBe('extension-page');
    expect(senderKind(contentScript, ID, ORIGIN)).toBe('content-script');
    expect(senderKind(otherExtension, ID, ORIGIN)).toBe('foreign');
    expect(senderKind({ id: ID }, ID, ORIGIN)).toBe('foreign');
  });
});

describe('routeMessage', () => {
  it('places a call for a valid c2c:dial from a content script, recorded against the tab Chrome names', async () => {
    const d = deps();
    await expect(routeMessage(dial, contentScript, d)).resolves.toEqual({ ok: true });
    expect(d.placeCall).toHaveBeenCalledWith(
      { to: '+14155550123', extension: undefined, contactName: undefined, pageUrl: 'https://crm.example/contacts/1', pageTitle: 'Contacts · Acme CRM' },
      'content',
    );
  });

  it('ignores the page address and title a page writes into its dial message', async () => {
    const d = deps();
    await routeMessage({ ...dial, pageUrl: 'https://bank.example/', pageTitle: 'CRM · Grace Hall' }, contentScript, d);
    expect(d.placeCall).toHaveBeenCalledWith(expect.objectContaining({ pageUrl: 'https://crm.example/contacts/1', pageTitle: 'Contacts · Acme CRM' }), 'content');
  });

  it('asks the agent first for a dial from a cross-origin frame, and places nothing yet', async () => {
    const d = deps();
    await routeMessage(dial, adFrame, d);
    expect(d.placeCall).not.toHaveBeenCalled();
    expect(d.confirmDial).toHaveBeenCalledWith(expect.objectContaining({ to: '+14155550123', pageUrl: 'https://crm.example/contacts/1' }), 'content', 'This number was offered by a frame from ads.example, inside crm.example.');
  });

  it('refuses a dial from any frame of a switched-off site', async () => {
    const d = deps();
    const offTab = { id: 9, url: 'https://off.example/page', title: 'Off' };
    const answer = await routeMessage(dial, { id: ID, url: 'about:srcdoc', origin: 'https://off.example', frameId: 2, tab: offTab }, d);
    expect(answer).toMatchObject({ ok: false, error: expect.stringMatching(/switched off/) });
    expect(d.placeCall).not.toHaveBeenCalled();
    expect(d.confirmDial).not.toHaveBeenCalled();
  });

  it('takes softphone state only from the offscreen document', async () => {
    const d = deps();
    const state = { type: 'c2c:softphone-state', state: INITIAL_SOFTPHONE_STATE };
    await expect(routeMessage(state, contentScript, d)).resolves.toMatchObject({ ok: false });
    await expect(routeMessage(state, popup, d)).resolves.toMatchObject({ ok: false });
    expect(d.onSoftphoneState).not.toHaveBeenCalled();
    await routeMessage(state, offscreen, d);
    expect(d.onSoftphoneState).toHaveBeenCalledTimes(1);
  });

  it('lets the call bar ask for its view, hang up and mute, and says in the tab why a dial was refused', async () => {
    const d = deps();
    await routeMessage({ type: 'c2c:call-bar-state' }, contentScript, d);
    expect(d.callBarView).toHaveBeenCalled();
    await routeMessage({ type: 'c2c:bar:hangup' }, contentScript, d);
    expect(d.forward).toHaveBeenCalledWith('c2c:offscreen:hangup', {});
    await routeMessage({ type: 'c2c:bar:mute', muted: true }, contentScript, d);
    expect(d.forward).toHaveBeenCalledWith('c2c:offscreen:mute', { muted: true });
    await expect(routeMessage({ type: 'c2c:bar:mute', muted: 'yes' }, contentScript, d)).resolves.toMatchObject({ ok: false });
    d.placeCall = vi.fn(async () => ({ ok: false as const, error: 'A call is already in progress; hang up before calling another number.', action: null }));
    await routeMessage(dial, contentScript, d);
    expect(d.tellTab).toHaveBeenCalledWith(3, 'A call is already in progress; hang up before calling another number.');
  });

  it('passes the bar\'s keypad on one key at a time, from the top document only', async () => {
    const d = deps();
    await routeMessage({ type: 'c2c:bar:digit', digit: '7' }, contentScript, d);
    expect(d.forward).toHaveBeenCalledWith('c2c:offscreen:digits', { digits: '7' });
    vi.mocked(d.forward).mockClear();
    await expect(routeMessage({ type: 'c2c:bar:digit', digit: '123' }, contentScript, d)).resolves.toMatchObject({ ok: false });
    await expect(routeMessage({ type: 'c2c:bar:digit', digit: 'w' }, contentScript, d)).resolves.toMatchObject({ ok: false });
    // A frame has no bar: an ad that sends the bar's messages reaches nothing.
    await expect(routeMessage({ type: 'c2c:bar:digit', digit: '1' }, adFrame, d)).resolves.toMatchObject({ ok: false });
    await expect(routeMessage({ type: 'c2c:bar:hangup' }, adFrame, d)).resolves.toMatchObject({ ok: false });
    expect(d.forward).not.toHaveBeenCalled();
  });

  it("refuses every call bar message from a tab that is not in front: a background page cannot answer, decline, end, mute, key or wrap up", async () => {
    const d = deps();
    d.respondToIncoming = vi.fn(async () => ({ ok: true as const }));
    const background = { id: ID, url: 'https://evil.example/', origin: 'https://evil.example', frameId: 0, tab: backgroundTab };
    const noTabState = { id: ID, url: 'https://evil.example/', origin: 'https://evil.example', frameId: 0, tab: { id: 5, url: 'https://evil.example/' } };
    const messages = [
      { type: 'c2c:bar:answer', callSid: 'CA' + '1'.repeat(32) },
      { type: 'c2c:bar:decline', callSid: 'CA' + '1'.repeat(32) },
      { type: 'c2c:bar:hangup' },
      { type: 'c2c:bar:mute', muted: true },
      { type: 'c2c:bar:digit', digit: '9' },
      { type: 'c2c:bar:wrap-up-skip' },
      { type: 'c2c:call-bar-state' },
    ];
    for (const sender of [background, noTabState]) {
      for (const message of messages) await expect(routeMessage(message, sender, d)).resolves.toMatchObject({ ok: false });
    }
    expect(d.respondToIncoming).not.toHaveBeenCalled();
    expect(d.forward).not.toHaveBeenCalled();
    expect(d.callBarView).not.toHaveBeenCalled();
    expect(d.wrapUp.skip).not.toHaveBeenCalled();
    // The same answer from the tab in front reaches the worker's own check of the ringing call.
    await routeMessage({ type: 'c2c:bar:answer', callSid: 'CA' + '1'.repeat(32) }, contentScript, d);
    expect(d.respondToIncoming).toHaveBeenCalledWith('CA' + '1'.repeat(32), 'answer');
  });

  it('passes a refused click on to the agent, and nothing else a page says', async () => {
    const d = deps();
    await routeMessage({ type: 'c2c:click-refused', reason: 'Something of the page covers the Call button, so nothing was dialled.' }, contentScript, d);
    expect(d.notifyRefusedClick).toHaveBeenCalledWith('Something of the page covers the Call button, so nothing was dialled.');
    await expect(routeMessage({ type: 'c2c:click-refused', reason: 'x'.repeat(5000) }, contentScript, d)).resolves.toMatchObject({ ok: false });
    expect(d.notifyRefusedClick).toHaveBeenCalledTimes(1);
  });

  it('refuses a malformed c2c:dial without dialling', async () => {
    const d = deps();
    const answer = await routeMessage({ ...dial, e164: '555-0123' }, contentScript, d);
    expect(answer).toMatchObject({ ok: false, error: expect.stringMatching(/malformed/) });
    expect(d.placeCall).not.toHaveBeenCalled();
  });

  it('lets a content script do nothing but dial', async () => {
    const d = deps();
    for (const message of [
      { type: 'c2c:sw:hangup' },
      { type: 'c2c:sw:get-auth' },
      { type: 'c2c:sw:sign-out' },
      { type: 'c2c:sw:dial', to: '+14155550123' },
      { type: 'c2c:sw:confirm-dial', id: '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b' },
      { type: 'c2c:offscreen:dial', params: { To: '+19005550135' } },
    ]) {
      await expect(routeMessage(message, contentScript, d)).resolves.toMatchObject({ ok: false, error: 'That request is not allowed from a web page.' });
    }
    expect(d.getAuth).not.toHaveBeenCalled();
    expect(d.signOut).not.toHaveBeenCalled();
    expect(d.forward).not.toHaveBeenCalled();
    expect(d.placeCall).not.toHaveBeenCalled();
  });

  it('ignores messages from other extensions entirely', () => {
    const d = deps();
    expect(routeMessage(dial, otherExtension, d)).toBeUndefined();
    expect(routeMessage({ type: 'c2c:sw:get-auth' }, otherExtension, d)).toBeUndefined();
  });

  it('leaves messages meant for other contexts unanswered', () => {
    expect(routeMessage({ type: 'c2c:offscreen:ping' }, popup, deps())).toBeUndefined();
    expect(routeMessage({ type: 'c2c:list-numbers' }, popup, deps())).toBeUndefined();
    expect(routeMessage('hello', popup, deps())).toBeUndefined();
  });

  it('dispatches valid popup commands', async () => {
    const d = deps();
    await routeMessage({ type: 'c2c:sw:dial', to: '(415) 555-0123', contactName: 'Ada' }, popup, d);
    expect(d.placeCall).toHaveBeenCalledWith(expect.objectContaining({ to: '(415) 555-0123', contactName: 'Ada' }), 'popup');
    await routeMessage({ type: 'c2c:sw:mute', muted: true }, popup, d);
    expect(d.forward).toHaveBeenCalledWith('c2c:offscreen:mute', { muted: true });
    await routeMessage({ type: 'c2c:sw:digits', digits: '5#' }, popupInTab, d);
    expect(d.forward).toHaveBeenCalledWith('c2c:offscreen:digits', { digits: '5#' });
    await expect(routeMessage({ type: 'c2c:sw:get-state' }, popup, d)).resolves.toEqual(INITIAL_SOFTPHONE_STATE);
  });

  it('rejects an extension-page message that fails its schema', async () => {
    const d = deps();
    await expect(routeMessage({ type: 'c2c:sw:digits', digits: 'DROP TABLE' }, popup, d)).resolves.toMatchObject({ ok: false });
    await expect(routeMessage({ type: 'c2c:sw:mute', muted: 'yes' }, popup, d)).resolves.toMatchObject({ ok: false });
    await expect(routeMessage({ type: 'c2c:softphone-state', state: { call: 'x' } }, offscreen, d)).resolves.toMatchObject({ ok: false });
    expect(d.forward).not.toHaveBeenCalled();
    expect(d.onSoftphoneState).not.toHaveBeenCalled();
  });

  it('takes a wrap-up from the call bar for the just-ended call only: the message cannot name a call, a malformed one is refused', async () => {
    const d = deps();
    const fields = { outcomeId: '00000000-0000-4000-8000-000000000001', notes: 'Left a message', followUpOn: null };
    await expect(routeMessage({ type: 'c2c:bar:wrap-up', fields: { ...fields, callId: '00000000-0000-4000-8000-000000000009' }, callSid: 'CA' + '0'.repeat(32) }, contentScript, d)).resolves.toEqual({ ok: true });
    expect(d.wrapUp.save).toHaveBeenCalledWith(fields);
    await expect(routeMessage({ type: 'c2c:bar:wrap-up', fields: { ...fields, notes: 'x'.repeat(2001) } }, contentScript, d)).resolves.toMatchObject({ ok: false });
    // A frame has no bar: its wrap-up messages reach nothing.
    await expect(routeMessage({ type: 'c2c:bar:wrap-up-skip' }, adFrame, d)).resolves.toMatchObject({ ok: false });
    await expect(routeMessage({ type: 'c2c:bar:wrap-up-skip' }, contentScript, d)).resolves.toEqual({ ok: true });
    expect(d.wrapUp.save).toHaveBeenCalledTimes(1);
    expect(d.wrapUp.skip).toHaveBeenCalledTimes(1);
    // The popup's own messages are not a page's to send.
    await expect(routeMessage({ type: 'c2c:sw:wrap-up-save', fields }, contentScript, d)).resolves.toMatchObject({ ok: false });
    expect(d.wrapUp.save).toHaveBeenCalledTimes(1);
    await expect(routeMessage({ type: 'c2c:sw:wrap-up-save', fields }, popup, d)).resolves.toEqual({ ok: true });
    expect(d.wrapUp.save).toHaveBeenCalledTimes(2);
  });
});
