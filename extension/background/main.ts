// Entry of the service worker: wires messages, the offscreen softphone, session refresh, badge, menu, shortcut and notifications.
import browser from 'webextension-polyfill';
import { SOFTPHONE_STATE_STORAGE_KEY, SESSION_STORAGE_KEY, commandResultSchema, type SwToOffscreen } from '../../shared/extension-messages.js';
import { OPTIONS_STORAGE_KEY, parseExtensionOptions } from '../../shared/options.js';
import { INITIAL_SOFTPHONE_STATE, softphoneStateSchema, type SoftphoneState } from '../../shared/softphone.js';
import { assertContext } from '../lib/context-guard.js';
import { placeCall, readSoftphoneState, type DialDeps, type DialRequestInput } from './dial.js';
import { routeMessage } from './message-router.js';
import { ensureOffscreenDocument, hasOffscreenDocument, type OffscreenDeps } from './offscreen-document.js';
import { CONTEXT_MENU_ID, DIAL_SELECTION_COMMAND, NO_SELECTION_MESSAGE, pickSelection, readSelectionInPage } from './selection-dial.js';
import { getAuth, signIn, signOut, type SessionDeps } from './session.js';
import { onSoftphoneState } from './softphone-state-sync.js';
import type { DialSource } from '../../shared/extension-messages.js';

assertContext('service-worker', 'extension/background/main.ts');

const PERMISSION_PATH = 'extension/permission/index.html';
const ICON_PATH = 'extension/icons/icon-128.png';
const SESSION_ALARM = 'c2c-session-refresh';

const sessionDeps: SessionDeps = {
  storage: {
    get: (key) => browser.storage.local.get(key),
    set: (items) => browser.storage.local.set(items),
    remove: (key) => browser.storage.local.remove(key),
  },
  getOptions: async () => parseExtensionOptions((await browser.storage.sync.get(OPTIONS_STORAGE_KEY))[OPTIONS_STORAGE_KEY]),
};

const offscreenDeps: OffscreenDeps = {
  getURL: (path) => chrome.runtime.getURL(path),
  getContexts: (filter) => chrome.runtime.getContexts({ contextTypes: filter.contextTypes as chrome.runtime.ContextType[], documentUrls: filter.documentUrls }),
  createDocument: (params) => chrome.offscreen.createDocument({ ...params, reasons: params.reasons as chrome.offscreen.Reason[] }),
  ping: async () => {
    const answer: unknown = await browser.runtime.sendMessage({ type: 'c2c:offscreen:ping' });
    return (answer as { ok?: unknown } | undefined)?.ok === true;
  },
};

const sendToOffscreen = (message: SwToOffscreen): Promise<unknown> => browser.runtime.sendMessage(message);

async function notify(id: string, message: string): Promise<void> {
  await browser.notifications
    .create(id, { type: 'basic', iconUrl: browser.runtime.getURL(ICON_PATH), title: 'Click-to-call', message })
    .catch(() => undefined);
}

async function openPermissionPage(): Promise<void> {
  const url = browser.runtime.getURL(PERMISSION_PATH);
  const [open] = await browser.tabs.query({ url });
  if (open?.id !== undefined) await browser.tabs.update(open.id, { active: true });
  else await browser.tabs.create({ url });
}

const dialDeps: DialDeps = {
  getOptions: sessionDeps.getOptions,
  getAuth: () => getAuth(sessionDeps),
  ensureOffscreen: () => ensureOffscreenDocument(offscreenDeps),
  sendToOffscreen,
  notifyFailure: (message) => notify(`dial-failed-${Date.now()}`, message),
  openPermissionPage,
};

const dial = (input: DialRequestInput, source: DialSource) => placeCall(input, source, dialDeps);

/** The softphone's state. Signed in, the softphone is started so its token is ready before the first click. */
async function currentState(): Promise<SoftphoneState> {
  if (!(await hasOffscreenDocument(offscreenDeps))) {
    if (!(await getAuth(sessionDeps)).accessToken) return INITIAL_SOFTPHONE_STATE;
  }
  return readSoftphoneState(dialDeps);
}

const syncState = (state: SoftphoneState) =>
  onSoftphoneState(state, {
    readCached: async () => {
      const parsed = softphoneStateSchema.safeParse((await browser.storage.session.get(SOFTPHONE_STATE_STORAGE_KEY))[SOFTPHONE_STATE_STORAGE_KEY]);
      return parsed.success ? parsed.data : null;
    },
    writeCached: (s) => browser.storage.session.set({ [SOFTPHONE_STATE_STORAGE_KEY]: s }),
    setBadge: async (view) => {
      await browser.action.setBadgeText({ text: view.text });
      await browser.action.setBadgeBackgroundColor({ color: view.color });
      await browser.action.setTitle({ title: view.title });
    },
    notify,
    openPermissionPage,
  });

/** Signed in, signed out or the backend changed: start the softphone afresh so its token is fetched before the first click. */
async function restartSoftphone(): Promise<void> {
  try {
    await ensureOffscreenDocument(offscreenDeps);
    await sendToOffscreen({ type: 'c2c:offscreen:reset' });
    await sendToOffscreen({ type: 'c2c:offscreen:get-state' });
  } catch {
    // The next dial creates it again.
  }
}

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) =>
  routeMessage(message, sender, {
    extensionId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL(''),
    placeCall: dial,
    forward: async (m) => {
      if (!(await hasOffscreenDocument(offscreenDeps))) return { ok: true };
      const parsed = commandResultSchema.safeParse(await sendToOffscreen(m));
      return parsed.success ? parsed.data : { ok: false, error: 'The softphone did not answer.', action: null };
    },
    getState: currentState,
    signIn: async (email, password) => {
      const result = await signIn(sessionDeps, email, password);
      if (result.ok) void restartSoftphone();
      return result;
    },
    signOut: async () => {
      await signOut(sessionDeps);
      if (await hasOffscreenDocument(offscreenDeps)) await sendToOffscreen({ type: 'c2c:offscreen:reset' }).catch(() => undefined);
    },
    getAuth: () => getAuth(sessionDeps),
    openPermissionPage,
    onSoftphoneState: syncState,
  }),
);

browser.runtime.onInstalled.addListener((details) => {
  chrome.contextMenus.removeAll(() => {
    chrome.contextMenus.create({ id: CONTEXT_MENU_ID, title: 'Call “%s”', contexts: ['selection'] });
  });
  if (details.reason === 'install') void openPermissionPage();
});

chrome.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId !== CONTEXT_MENU_ID || !info.selectionText) return;
  void dial({ to: info.selectionText.trim().slice(0, 64), pageUrl: tab?.url, pageTitle: tab?.title }, 'context-menu');
});

chrome.commands.onCommand.addListener((command, tab) => {
  if (command !== DIAL_SELECTION_COMMAND) return;
  void (async () => {
    const tabId = tab?.id;
    const results = tabId === undefined ? [] : await chrome.scripting.executeScript({ target: { tabId, allFrames: true }, func: readSelectionInPage }).catch(() => []);
    const selection = pickSelection(results);
    if (!selection) return notify(`no-selection-${Date.now()}`, NO_SELECTION_MESSAGE);
    await dial({ to: selection, pageUrl: tab?.url, pageTitle: tab?.title }, 'command');
  })();
});

browser.runtime.onStartup.addListener(() => {
  void currentState().then(syncState).catch(() => undefined);
});

browser.alarms.create(SESSION_ALARM, { periodInMinutes: 1 });
browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === SESSION_ALARM) void getAuth(sessionDeps);
});

browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'sync' && OPTIONS_STORAGE_KEY in changes) {
    const before = parseExtensionOptions(changes[OPTIONS_STORAGE_KEY]?.oldValue).backendUrl;
    const after = parseExtensionOptions(changes[OPTIONS_STORAGE_KEY]?.newValue).backendUrl;
    if (before !== after) void restartSoftphone();
  }
  if (area === 'local' && SESSION_STORAGE_KEY in changes && !changes[SESSION_STORAGE_KEY]?.newValue) void currentState().then(syncState).catch(() => undefined);
});

// A restarted worker has lost nothing: the call lives in the offscreen document; repaint the badge from it.
void currentState().then(syncState).catch(() => undefined);
