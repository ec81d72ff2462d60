// The popup's PopupApi in the browser: messages to the service worker, chrome.storage, tabs, and the backend's routes.
import browser from 'webextension-polyfill';
import { agentsResponseSchema, callsPageSchema, liveEventSchema, sessionSchema } from '../../shared/api.js';
import {
  authInfoSchema,
  commandResultSchema,
  SESSION_STORAGE_KEY,
  signInResultSchema,
  softphoneStateEventSchema,
  type AuthInfo,
  type CommandResult,
  type ExtensionPageToSw,
} from '../../shared/extension-messages.js';
import { listNumbersResponseSchema } from '../../shared/messages.js';
import { softphoneStateSchema } from '../../shared/softphone.js';
import { BackendError, requestJson } from '../lib/backend-client.js';
import { readEventStream } from '../lib/sse-stream.js';
import type { PopupApi } from './popup-api.js';
import { browserWrapUpApi } from './browser-wrap-up-api.js';

const OFFSCREEN_URL = browser.runtime.getURL('extension/offscreen/');

/** Calls per history page: the popup's first screenful, and each "Show older calls". */
const CALLS_PAGE_SIZE = 20;

const send = (message: ExtensionPageToSw): Promise<unknown> => browser.runtime.sendMessage(message);

async function command(message: ExtensionPageToSw): Promise<CommandResult> {
  try {
    const parsed = commandResultSchema.safeParse(await send(message));
    return parsed.success ? parsed.data : { ok: false, error: 'The extension did not answer; reload it and try again.', action: null };
  } catch {
    return { ok: false, error: 'The extension did not answer; reload it and try again.', action: null };
  }
}

async function signedInAuth(): Promise<AuthInfo & { accessToken: string }> {
  const auth = authInfoSchema.parse(await send({ type: 'c2c:sw:get-auth' }));
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
    try {
      return signInResultSchema.parse(await send({ type: 'c2c:sw:sign-in', email, password }));
    } catch {
      return { ok: false, error: 'The extension did not answer; reload it and try again.', action: null };
    }
  },
  async signOut() {
    await send({ type: 'c2c:sw:sign-out' });
  },
  async getAuth() {
    return authInfoSchema.parse(await send({ type: 'c2c:sw:get-auth' }));
  },
  async getState() {
    return softphoneStateSchema.parse(await send({ type: 'c2c:sw:get-state' }));
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
  dial: (input) => command({ type: 'c2c:sw:dial', ...input }),
  hangup: () => command({ type: 'c2c:sw:hangup' }),
  setMuted: (muted) => command({ type: 'c2c:sw:mute', muted }),
  sendDigits: (digits) => command({ type: 'c2c:sw:digits', digits }),
  async listPageNumbers() {
    const tab = await targetTab();
    if (tab?.id === undefined) return { numbers: [] };
    const answer: unknown = await browser.tabs.sendMessage(tab.id, { type: 'c2c:list-numbers' }, { frameId: 0 }).catch(() => []);
    const parsed = listNumbersResponseSchema.safeParse(answer);
    return { numbers: parsed.success ? parsed.data : [], pageUrl: tab.url, pageTitle: tab.title };
  },
  async fetchCalls(cursor) {
    const auth = await signedInAuth();
    const path = `/api/calls?limit=${CALLS_PAGE_SIZE}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    return requestJson({ backendUrl: auth.backendUrl, path, token: auth.accessToken, schema: callsPageSchema });
  },
  async fetchAgents() {
    const auth = await signedInAuth();
    return (await requestJson({ backendUrl: auth.backendUrl, path: '/api/agents', token: auth.accessToken, schema: agentsResponseSchema })).agents;
  },
  async followLiveEvents(onEvent, signal) {
    const auth = await signedInAuth();
    await readEventStream({
      backendUrl: auth.backendUrl,
      path: '/api/events',
      token: auth.accessToken,
      signal,
      onEvent: ({ data }) => {
        try {
          const parsed = liveEventSchema.safeParse(JSON.parse(data));
          if (parsed.success) onEvent(parsed.data);
        } catch {
          // A malformed event is skipped; the next one may be fine.
        }
      },
    });
  },
  async openPermissionPage() {
    await send({ type: 'c2c:sw:open-permission' });
  },
  async openOptions() {
    await browser.runtime.openOptionsPage();
  },
  wrapUps: browserWrapUpApi,
};
