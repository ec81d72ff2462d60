// The popup's PopupApi in the browser: messages to the service worker, chrome.storage, tabs, and the backend's routes.
import browser from 'webextension-polyfill';
import { agentPresenceSchema, agentsResponseSchema, callsPageSchema, liveEventSchema, sessionSchema } from '../../shared/api.js';
import { OPTIONS_STORAGE_KEY, parseExtensionOptions } from '../lib/options.js';
import { z } from 'zod';
import { SESSION_STORAGE_KEY, type AuthInfo } from '../protocol/extension-messages.js';
import { softphoneStateEventSchema } from '../protocol/worker.js';
import { listNumbersResponseSchema } from '../protocol/messages.js';
import { callWorker, commandWorker } from '../background/api.js';
import { NO_ANSWER_MESSAGE } from '../protocol/messenger.js';
import { BackendError, requestJson } from '../lib/backend-client.js';
import { BACKEND_RESTARTING_MESSAGE, endReason, readEventStream } from '../lib/sse-stream.js';
import { CALL_FROM_STORAGE_KEY, callFromChoiceSchema, type CallFromChoice } from '../lib/call-from.js';
import { phoneNumbersResponseSchema } from '../../shared/api.js';
import type { PopupApi } from './popup-api.js';
import { browserWrapUpApi } from './browser-wrap-up-api.js';

const presenceResponseSchema = z.object({ agent: agentPresenceSchema });

const OFFSCREEN_URL = browser.runtime.getURL('extension/offscreen/');

/** Calls per history page: the popup's first screenful, and each "Show older calls". */
const CALLS_PAGE_SIZE = 20;

/** The id of the last live event this popup saw, sent back as Last-Event-ID when it reconnects. */
let lastEventId: string | undefined;


async function signedInAuth(): Promise<AuthInfo & { accessToken: string }> {
  const auth = await callWorker('c2c:sw:get-auth');
  if (!auth.accessToken) throw new BackendError('Sign in to call.', 401, null, 'sign-in');
  return { ...auth, accessToken: auth.accessToken };
}

/** The tab whose numbers "On this page" lists: ?tabId= when the popup is opened as a page, else the active tab. */
async function targetTab(): Promise<browser.Tabs.Tab | undefined> {
  const fromQuery = Number(new URLSearchParams(location.search).get('tabId'));
  if (Number.isInteger(fromQuery) && fromQuery > 0) return browser.tabs.get(fromQuery).catch(() => undefined);
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  return active;
}

/**
 * The tab's frames the extension may ask: found by running a one-line script in every frame it has access to (frames it
 * cannot reach are left out); the page itself at least.
 */
async function framesOf(tabId: number): Promise<Array<{ frameId: number; host: string }>> {
  const results = await browser.scripting.executeScript({ target: { tabId, allFrames: true }, func: () => location.href }).catch(() => []);
  const frames = results.map((r) => {
    let host: string;
    try {
      host = new URL(String(r.result)).host;
    } catch {
      host = '';
    }
    return { frameId: r.frameId, host: host || 'an embedded frame' };
  });
  if (!frames.some((f) => f.frameId === 0)) frames.unshift({ frameId: 0, host: '' });
  return frames.sort((a, b) => a.frameId - b.frameId);
}

export const browserPopupApi: PopupApi = {
  async readSession() {
    const parsed = sessionSchema.safeParse((await browser.storage.local.get(SESSION_STORAGE_KEY))[SESSION_STORAGE_KEY]);
    return parsed.success ? parsed.data : null;
  },
  onSessionChange(listener) {
    const onChanged = (changes: Record<string, browser.Storage.StorageChange>, area: string) => {
      if (area !== 'local' || !(SESSION_STORAGE_KEY in changes)) return;
      const parsed = sessionSchema.safeParse(changes[SESSION_STORAGE_KEY]?.newValue);
      listener(parsed.success ? parsed.data : null);
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => browser.storage.onChanged.removeListener(onChanged);
  },
  async signIn(email, password) {
    return callWorker('c2c:sw:sign-in', { email, password }).catch(() => ({ ok: false as const, error: NO_ANSWER_MESSAGE, action: null }));
  },
  async signOut() {
    await callWorker('c2c:sw:sign-out');
  },
  async getAuth() {
    return callWorker('c2c:sw:get-auth');
  },
  async getState() {
    return callWorker('c2c:sw:get-state');
  },
  onState(listener) {
    const onMessage = (message: unknown, sender: browser.Runtime.MessageSender) => {
      // Only the offscreen softphone reports its state: a content script could send the same message to paint a call.
      if (sender.id !== browser.runtime.id || sender.tab !== undefined || !sender.url?.startsWith(OFFSCREEN_URL)) return undefined;
      const parsed = softphoneStateEventSchema.safeParse(message);
      if (parsed.success) listener(parsed.data.state);
      return undefined;
    };
    browser.runtime.onMessage.addListener(onMessage);
    return () => browser.runtime.onMessage.removeListener(onMessage);
  },
  dial: (input) => commandWorker('c2c:sw:dial', input),
  hangup: () => commandWorker('c2c:sw:hangup'),
  answer: (callSid: string) => commandWorker('c2c:sw:answer', { callSid }),
  decline: (callSid: string) => commandWorker('c2c:sw:decline', { callSid }),
  setMuted: (muted) => commandWorker('c2c:sw:mute', { muted }),
  sendDigits: (digits) => commandWorker('c2c:sw:digits', { digits }),
  async listPageNumbers() {
    const tab = await targetTab();
    const tabId = tab?.id;
    if (tabId === undefined) return { numbers: [] };
    const frames = await framesOf(tabId);
    const answers = await Promise.all(
      frames.map(async (frame) => {
        const answer: unknown = await browser.tabs.sendMessage(tabId, { type: 'c2c:list-numbers' }, { frameId: frame.frameId }).catch(() => []);
        // Each frame's answer is checked on its own: one hostile frame's garbage drops only its own numbers.
        const parsed = listNumbersResponseSchema.safeParse(answer);
        return parsed.success ? parsed.data.map((n) => ({ ...n, frame: frame.frameId === 0 ? null : frame.host })) : [];
      }),
    );
    return { numbers: answers.flat(), pageUrl: tab?.url, pageTitle: tab?.title };
  },
  async setPresence(presence) {
    try {
      const auth = await signedInAuth();
      const { agent } = await requestJson({ backendUrl: auth.backendUrl, path: '/api/agents/me/presence', method: 'PUT', body: { presence }, token: auth.accessToken, schema: presenceResponseSchema });
      return { ok: true, agent };
    } catch (error) {
      return { ok: false, error: error instanceof BackendError ? error.message : 'Your status could not be saved; try again in a moment.' };
    }
  },
  async numberPolicy() {
    return callWorker('c2c:sw:number-policy').catch(() => null);
  },
  async defaultCountry() {
    const stored = (await browser.storage.sync.get(OPTIONS_STORAGE_KEY))[OPTIONS_STORAGE_KEY];
    return parseExtensionOptions(stored).defaultCountry;
  },
  async fetchCalls(cursor) {
    const auth = await signedInAuth();
    const path = `/api/calls?limit=${CALLS_PAGE_SIZE}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    return requestJson({ backendUrl: auth.backendUrl, path, token: auth.accessToken, schema: callsPageSchema });
  },
  async endServerCall(callId) {
    try {
      const auth = await signedInAuth();
      await requestJson({ backendUrl: auth.backendUrl, path: `/api/calls/${encodeURIComponent(callId)}/hangup`, token: auth.accessToken, body: {}, schema: z.unknown() });
      return { ok: true };
    } catch (error) {
      if (error instanceof BackendError) return { ok: false, error: error.message, action: error.action };
      return { ok: false, error: 'The call could not be ended because of an unexpected error. Try again.', action: null };
    }
  },
  async fetchPhoneNumbers() {
    const auth = await signedInAuth();
    return (await requestJson({ backendUrl: auth.backendUrl, path: '/api/phone-numbers', token: auth.accessToken, schema: phoneNumbersResponseSchema })).numbers;
  },
  async readCallFrom() {
    const parsed = callFromChoiceSchema.safeParse((await browser.storage.local.get(CALL_FROM_STORAGE_KEY))[CALL_FROM_STORAGE_KEY]);
    return parsed.success ? parsed.data : null;
  },
  async saveCallFrom(choice: CallFromChoice) {
    await browser.storage.local.set({ [CALL_FROM_STORAGE_KEY]: choice });
  },
  async fetchRecording(callId: string) {
    const auth = await signedInAuth();
    const res = await fetch(`${auth.backendUrl}/api/calls/${encodeURIComponent(callId)}/recording`, { headers: { authorization: `Bearer ${auth.accessToken}` } });
    if (!res.ok) throw new Error(res.status === 404 ? 'This call has no voicemail.' : 'The voicemail could not be fetched just now; try again in a minute.');
    return res.blob();
  },
  async fetchAgents() {
    const auth = await signedInAuth();
    return (await requestJson({ backendUrl: auth.backendUrl, path: '/api/agents', token: auth.accessToken, schema: agentsResponseSchema })).agents;
  },
  async followLiveEvents(onEvent, signal) {
    const auth = await signedInAuth();
    let closing = false;
    await readEventStream({
      backendUrl: auth.backendUrl,
      path: '/api/events',
      token: auth.accessToken,
      signal,
      // The server replays what this popup missed since its last event (or says resync: the popup reloads on every
      // connection anyway, so the replay only closes the gap between that reload and this stream).
      lastEventId,
      onEvent: (event) => {
        if (event.id) lastEventId = event.id;
        if (endReason(event) === 'server-closing') closing = true;
        if (event.event === 'end' || event.event === 'resync') return;
        const { data } = event;
        try {
          const parsed = liveEventSchema.safeParse(JSON.parse(data));
          if (parsed.success) onEvent(parsed.data);
        } catch {
          // A malformed event is skipped; the next one may be fine.
        }
      },
    });
    if (closing) throw new BackendError(BACKEND_RESTARTING_MESSAGE, 503, 'server-closing', null);
  },
  async openPermissionPage() {
    await callWorker('c2c:sw:open-permission');
  },
  async openOptions() {
    await browser.runtime.openOptionsPage();
  },
  wrapUps: browserWrapUpApi,
};
