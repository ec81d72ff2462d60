// Entry of the service worker: wires messages, the offscreen softphone, session refresh, badge, menu, shortcut and notifications.
import browser from 'webextension-polyfill';
import { callOffscreen, sendToOffscreen } from '../offscreen/api.js';
import type { SoftphoneCommander } from '../protocol/offscreen.js';
import { SOFTPHONE_STATE_STORAGE_KEY, SESSION_STORAGE_KEY, WRAP_UP_STORAGE_KEY } from '../protocol/extension-messages.js';
import { BACKEND_STORAGE_KEY, OPTIONS_STORAGE_KEY, isSiteDisabled, parseExtensionOptions } from '../lib/options.js';
import { toE164 } from '../../shared/phone/normalize.js';
import { formatForPeople } from '../../shared/phone/format.js';
import type { CommandResult, DialSource, PendingDialView } from '../protocol/extension-messages.js';
import { framePolicy } from './frame-policy.js';
import { callBarView, endedBadly } from './call-bar-view.js';
import type { CallBarUpdate } from '../protocol/messages.js';
import { readPendingDial, savePendingDial, takePendingDial, type PendingDial } from './pending-dials.js';
import { INITIAL_SOFTPHONE_STATE, isCallLive, softphoneStateSchema, type SoftphoneState } from '../protocol/softphone.js';
import { assertContext } from '../lib/context-guard.js';
import { placeCall, readSoftphoneState, type DialDeps, type DialRequestInput } from './dial.js';
import { routeMessage } from './message-router.js';
import { ensureOffscreenDocument, hasOffscreenDocument, type OffscreenDeps } from './offscreen-document.js';
import { CONTEXT_MENU_ID, DIAL_SELECTION_COMMAND, NO_SELECTION_MESSAGE, pickSelection, readSelectionInPage } from './selection-dial.js';
import { getAuth, InsecureStorageError, signIn, signOut, type SessionDeps } from './session.js';
import { onSoftphoneState } from './softphone-state-sync.js';
import { barViewFor } from './incoming-call-view.js';
import { callSidOfNotification, onIncomingChange } from './incoming-notices.js';
import { screenPopUrl } from './screen-pop.js';
import { callsPageSchema, sessionSchema } from '../../shared/api.js';
import { AUDIO_DEVICES_STORAGE_KEY, audioChoiceFor } from '../lib/audio-devices.js';
import { CALL_FROM_STORAGE_KEY, callFromChoiceSchema } from '../lib/call-from.js';
import { reportStillHere } from './presence-heartbeat.js';
import { callerInWords, missedCallSentence, tellMissedCall, tellMissedCallsSince, type MissedCallDeps } from './missed-call-notices.js';
import { createWrapUpOffers, parseWrapUpRecord } from './wrap-up-offer.js';
import { readNumberPolicy } from './number-policy.js';
assertContext('service-worker', 'extension/background/main.ts');

const PERMISSION_PATH = 'extension/permission/index.html';
const ICON_PATH = 'extension/icons/icon-128.png';
const SESSION_ALARM = 'c2c-session-refresh';

const CONFIRM_PATH = 'extension/confirm/index.html';

/**
 * chrome.storage.local is closed to content scripts before anything is kept in it: content scripts run in the page's
 * process, so a compromised page could otherwise read the session's tokens or point the extension at another backend.
 * Chrome keeps the setting; it is asked for again at every start, and nothing secret is written until it holds.
 */
const localSecured = chrome.storage.local.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' }).then(
  () => true,
  () => false,
);

async function trustedLocal(): Promise<typeof browser.storage.local> {
  if (!(await localSecured)) {
    throw new InsecureStorageError('This version of Chrome cannot keep your session away from web pages; update Chrome to sign in.');
  }
  return browser.storage.local;
}

const sessionDeps: SessionDeps = {
  storage: {
    get: async (key) => (await trustedLocal()).get(key),
    set: async (items) => (await trustedLocal()).set(items),
    remove: async (key) => (await trustedLocal()).remove(key),
  },
  getOptions: async () =>
    parseExtensionOptions((await browser.storage.sync.get(OPTIONS_STORAGE_KEY))[OPTIONS_STORAGE_KEY], (await (await trustedLocal()).get(BACKEND_STORAGE_KEY))[BACKEND_STORAGE_KEY]),
};

const offscreenDeps: OffscreenDeps = {
  getURL: (path) => chrome.runtime.getURL(path),
  getContexts: (filter) => chrome.runtime.getContexts({ contextTypes: filter.contextTypes as chrome.runtime.ContextType[], documentUrls: filter.documentUrls }),
  createDocument: (params) => chrome.offscreen.createDocument({ ...params, reasons: params.reasons as chrome.offscreen.Reason[] }),
  ping: async () => {
    const answer = await callOffscreen('c2c:offscreen:ping');
    return answer.ok;
  },
};


/** A softphone command: no answer (or one out of protocol) becomes the one sentence the agent sees. */
const softphoneCommand: SoftphoneCommander = (type, payload) =>
  // The caller's rest parameter (payload optional when empty) does not narrow over a generic key: the map checks it.
  (callOffscreen as (t: typeof type, p: typeof payload) => Promise<CommandResult>)(type, payload).catch(() => ({ ok: false as const, error: 'The softphone did not answer.', action: null }));

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

const wrapUps = createWrapUpOffers({
  read: async () => parseWrapUpRecord((await browser.storage.session.get(WRAP_UP_STORAGE_KEY))[WRAP_UP_STORAGE_KEY]),
  write: (record) => browser.storage.session.set({ [WRAP_UP_STORAGE_KEY]: record }),
  getAuth: () => getAuth(sessionDeps),
});

const dialDeps: DialDeps = {
  getOptions: sessionDeps.getOptions,
  getAuth: () => getAuth(sessionDeps),
  ensureOffscreen: () => ensureOffscreenDocument(offscreenDeps),
  sendToOffscreen,
  notifyFailure: (message) => notify(`dial-failed-${Date.now()}`, message),
  openPermissionPage,
  getCallFrom: async () => callFromChoiceSchema.safeParse((await (await trustedLocal()).get(CALL_FROM_STORAGE_KEY))[CALL_FROM_STORAGE_KEY]).data ?? null,
  holdBeforeDial: () => wrapUps.holdBeforeDial(),
};

/** The softphone's call as the offscreen document has it: the one call a wrap-up message can be about. */
const softphoneCall = async () => (await readSoftphoneState(dialDeps).catch(() => null))?.call ?? null;

/** The wrap-up's changes are shown in the page's bar at once. */
const repaintBar = () => currentState().then(syncState).catch(() => undefined);

const dial = (input: DialRequestInput, source: DialSource) => placeCall(input, source, dialDeps);

/**
 * Asks the agent in an extension window, which no page can draw over, before a dial goes out: 'confirm' waits for a
 * click on Call (a number from a frame the page does not own); 'countdown' dials after a few seconds unless cancelled
 * (the context menu and the shortcut, where the gesture was the agent's but the selected text is the page's).
 */
async function askFirst(input: DialRequestInput, source: DialSource, why: string, mode: PendingDial['mode']): Promise<{ ok: true }> {
  const pending: PendingDial = { id: crypto.randomUUID(), input, source, mode, why, createdAt: Date.now() };
  await savePendingDial(browser.storage.session, pending);
  await browser.windows.create({ url: browser.runtime.getURL(`${CONFIRM_PATH}?id=${pending.id}`), type: 'popup', width: 440, height: 340, focused: true });
  return { ok: true };
}

async function pendingDialView(id: string): Promise<PendingDialView> {
  const pending = await readPendingDial(browser.storage.session, id, Date.now());
  if (!pending) return { found: false };
  const { defaultCountry } = await sessionDeps.getOptions();
  const number = toE164(pending.input.to, defaultCountry);
  return {
    found: true,
    number: number.ok ? formatForPeople(number.e164, defaultCountry) : pending.input.to,
    ...(pending.input.extension ?? (number.ok ? number.extension : undefined) ? { extension: pending.input.extension ?? (number.ok ? number.extension : undefined) } : {}),
    ...(pending.input.contactName ? { contactName: pending.input.contactName } : {}),
    ...(pending.input.pageUrl ? { pageUrl: pending.input.pageUrl } : {}),
    why: pending.why,
    mode: pending.mode,
  };
}

/** The softphone's state. Signed in, the softphone is started so its token is ready before the first click. */
async function currentState(): Promise<SoftphoneState> {
  if (!(await hasOffscreenDocument(offscreenDeps))) {
    if (!(await getAuth(sessionDeps)).accessToken) return INITIAL_SOFTPHONE_STATE;
  }
  return readSoftphoneState(dialDeps);
}

/** Sends the call bar's update to the active tab's top document; false when no content script took it. */
async function pushToActiveTab(update: CallBarUpdate): Promise<boolean> {
  const [tab] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
  if (tab?.id === undefined) return false;
  return browser.tabs.sendMessage(tab.id, update, { frameId: 0 }).then(
    () => true,
    () => false,
  );
}

const syncState = async (state: SoftphoneState) => {
  const previous = (await browser.storage.session.get(SOFTPHONE_STATE_STORAGE_KEY))[SOFTPHONE_STATE_STORAGE_KEY] as SoftphoneState | undefined;
  await syncBadgeAndNotices(state);
  const { defaultCountry } = await sessionDeps.getOptions();
  const wrapUp = await wrapUps.offerFor(state.call).catch(() => null);
  const shown = await pushToActiveTab({ type: 'c2c:call-bar', view: barViewFor(state, defaultCountry, wrapUp) });
  void onIncomingChange(previous ?? null, state, incomingNoticeDeps(defaultCountry)).catch(() => undefined);
  // Busy, no answer and failed are said outside the page too when the bar could not show them, or Chrome is not in front.
  const endedNow = endedBadly(state.call) && !(previous?.call?.id === state.call?.id && previous?.call?.phase === 'ended');
  const focused = await browser.windows.getLastFocused().then((w) => w.focused, () => false);
  if (endedNow && !state.call?.error && (!shown || !focused)) {
    const view = callBarView(state.call, defaultCountry)!;
    await notify(`call-result-${state.call!.id}`, `${view.statusText}: ${view.contactName ? `${view.contactName}, ` : ''}${view.number}.`);
  }
};

const incomingNoticeDeps = (defaultCountry: string) => ({
  defaultCountry,
  notifyIncoming: async (id: string, message: string) => {
    await browser.notifications
      .create(id, {
        type: 'basic', iconUrl: browser.runtime.getURL(ICON_PATH), title: 'Incoming call', message, requireInteraction: true,
        buttons: [{ title: 'Answer' }, { title: 'Decline' }],
      } as browser.Notifications.CreateNotificationOptions)
      .catch(() => undefined);
  },
  clear: async (id: string) => {
    await browser.notifications.clear(id).catch(() => undefined);
  },
  chromeFocused: () => browser.windows.getLastFocused().then((w) => w.focused, () => false),
  notifyMissed: (callId: string, message: string) => tellMissedCall(callId, message, missedCallDeps),
  wasMissed: async (callId: string) => {
    const calls = await recentCalls();
    const call = calls?.find((c) => c.id === callId);
    if (!call || call.status === 'ringing' || call.status === 'initiated') return null;
    return call.direction === 'inbound' && call.status === 'no-answer';
  },
  wait: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
});

/** The organization's latest calls, newest first; null when signed out or the backend cannot be read. */
async function recentCalls() {
  const auth = await getAuth(sessionDeps);
  if (!auth.accessToken) return null;
  const res = await fetch(`${auth.backendUrl}/api/calls?limit=20`, { headers: { authorization: `Bearer ${auth.accessToken}` } });
  const page = callsPageSchema.safeParse(await res.json());
  return page.success ? page.data.calls : null;
}

const MISSED_TOLD_STORAGE_KEY = 'c2c:missed-told';
const missedCallDeps: MissedCallDeps = {
  readTold: async () => {
    const saved = (await browser.storage.session.get(MISSED_TOLD_STORAGE_KEY))[MISSED_TOLD_STORAGE_KEY] as { ids?: unknown; readUntil?: unknown } | undefined;
    const ids = Array.isArray(saved?.ids) ? saved.ids.filter((id): id is string => typeof id === 'string') : [];
    return { ids, readUntil: typeof saved?.readUntil === 'string' ? saved.readUntil : null };
  },
  writeTold: (told) => browser.storage.session.set({ [MISSED_TOLD_STORAGE_KEY]: told }),
  notify,
};

/** Missed calls nobody was rung for (everyone Away or on a call) are told from the history, on the minute alarm. */
async function tellMissedFromHistory() {
  const calls = await recentCalls().catch(() => null);
  if (!calls) return;
  const { defaultCountry } = await sessionDeps.getOptions();
  await tellMissedCallsSince(calls, (c) => missedCallSentence(callerInWords(c.fromNumber, c.contactName, defaultCountry), Boolean(c.voicemail)), missedCallDeps);
}

/** Answer or Decline, from the bar, the popup or a notification: only for the call ringing for this agent now. */
async function respondToIncoming(callSid: string, how: 'answer' | 'decline') {
  const state = await currentState();
  if (state.incoming?.callSid !== callSid) return { ok: false as const, error: 'That call is no longer ringing: a teammate answered it, or the caller hung up.', action: null };
  const result = await softphoneCommand(how === 'answer' ? 'c2c:offscreen:answer' : 'c2c:offscreen:decline', { callSid });
  if (how === 'answer' && result.ok) {
    const page = screenPopUrl(state.incoming, (await sessionDeps.getOptions()).openCallerPageOnAnswer);
    if (page) await browser.tabs.create({ url: page, active: true }).catch(() => undefined);
  }
  return result;
}

browser.notifications.onButtonClicked.addListener((id, index) => {
  const callSid = callSidOfNotification(id);
  if (!callSid) return;
  void browser.notifications.clear(id).catch(() => undefined);
  void respondToIncoming(callSid, index === 0 ? 'answer' : 'decline');
});

const syncBadgeAndNotices = (state: SoftphoneState) =>
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

/**
 * Signing out ends a live call first, on both sides (the softphone hangs up; the backend records the end), and waits a
 * little for it: a session dropped under a live call would leave the customer on the line and the agent "on a call".
 */
async function endCallBeforeSignOut(): Promise<void> {
  if (!(await hasOffscreenDocument(offscreenDeps))) return;
  const live = async () => isCallLive((await readSoftphoneState(dialDeps).catch(() => null))?.call ?? null);
  if (!(await live())) return;
  await callOffscreen('c2c:offscreen:hangup').catch(() => undefined);
  for (let i = 0; i < 25 && (await live()); i++) await new Promise((r) => setTimeout(r, 200));
}

/** Signed in, signed out or the backend changed: start the softphone afresh so its token is fetched before the first click. */
async function restartSoftphone(): Promise<void> {
  try {
    await ensureOffscreenDocument(offscreenDeps);
    await callOffscreen('c2c:offscreen:reset');
    await callOffscreen('c2c:offscreen:get-state');
  } catch {
    // The next dial creates it again.
  }
}

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) =>
  routeMessage(message, sender, {
    extensionId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL(''),
    placeCall: dial,
    forward: async (type, payload) => ((await hasOffscreenDocument(offscreenDeps)) ? softphoneCommand(type, payload) : { ok: true }),
    getState: currentState,
    signIn: async (email, password) => {
      const result = await signIn(sessionDeps, email, password);
      if (result.ok) {
        void restartSoftphone();
        void tellMissedFromHistory().catch(() => undefined);
      }
      return result;
    },
    signOut: async () => {
      await endCallBeforeSignOut();
      await signOut(sessionDeps);
      if (await hasOffscreenDocument(offscreenDeps)) await callOffscreen('c2c:offscreen:reset').catch(() => undefined);
    },
    getAuth: () => getAuth(sessionDeps),
    openPermissionPage,
    onSoftphoneState: syncState,
    offscreenUrl: browser.runtime.getURL('extension/offscreen/'),
    siteDisabled: async (pageUrl) => {
      if (!pageUrl) return false;
      try {
        return isSiteDisabled(new URL(pageUrl).hostname, (await sessionDeps.getOptions()).disabledSites);
      } catch {
        return false;
      }
    },
    confirmDial: (input, source, why) => askFirst(input, source, why, 'confirm'),
    pendingDial: pendingDialView,
    confirmPendingDial: async (id) => {
      const pending = await takePendingDial(browser.storage.session, id, Date.now());
      if (!pending) return { ok: false, error: 'That call request has expired; click the number again.', action: null };
      return dial(pending.input, pending.source);
    },
    cancelPendingDial: async (id) => {
      await takePendingDial(browser.storage.session, id, Date.now());
    },
    // One notification id: a page that makes many clicks fail replaces the notice instead of stacking them.
    notifyRefusedClick: (reason) => notify('click-refused', reason),
    callBarView: async () => {
      const cached = await browser.storage.session.get(SOFTPHONE_STATE_STORAGE_KEY).then((r) => softphoneStateSchema.safeParse(r[SOFTPHONE_STATE_STORAGE_KEY]));
      const state = cached.success ? cached.data : { call: null, incoming: null };
      return barViewFor(state, (await sessionDeps.getOptions()).defaultCountry, await wrapUps.offerFor(state.call).catch(() => null));
    },
    respondToIncoming,
    audioChoice: async () => {
      const stored = await (await trustedLocal()).get([AUDIO_DEVICES_STORAGE_KEY, SESSION_STORAGE_KEY]);
      const session = sessionSchema.safeParse(stored[SESSION_STORAGE_KEY]);
      return audioChoiceFor(stored[AUDIO_DEVICES_STORAGE_KEY], session.success ? session.data.agent.id : null);
    },
    numberPolicy: () =>
      readNumberPolicy({
        backendUrl: async () => (await sessionDeps.getOptions()).backendUrl,
        storage: browser.storage.session,
        now: Date.now,
      }),
    wrapUp: {
      offer: async () => wrapUps.offerFor(await softphoneCall()),
      save: async (fields) => {
        const result = await wrapUps.save(await softphoneCall(), fields);
        void repaintBar();
        return result;
      },
      skip: async () => {
        await wrapUps.skip(await softphoneCall());
        void repaintBar();
      },
      reopen: async () => {
        await wrapUps.reopen(await softphoneCall());
        void repaintBar();
      },
    },
    tellTab: async (tabId, text) => {
      await browser.tabs.sendMessage(tabId, { type: 'c2c:call-bar-notice', text: text.slice(0, 300) } satisfies CallBarUpdate, { frameId: 0 });
    },
  }),
);

browser.runtime.onInstalled.addListener((details) => {
  chrome.contextMenus.removeAll(() => {
    chrome.contextMenus.create({ id: CONTEXT_MENU_ID, title: 'Call “%s”', contexts: ['selection'] });
  });
  if (details.reason === 'install') void openPermissionPage();
});

/** Where a selection's dial asks first: a countdown in an extension window, or a plain confirmation for a frame's text. */
function selectionWhy(frame: { frameId?: number; url?: string; origin?: string }, tab: chrome.tabs.Tab | undefined): { why: string; mode: PendingDial['mode'] } {
  const verdict = framePolicy({ ...frame, tab: tab ? { id: tab.id, url: tab.url, title: tab.title } : undefined });
  if (verdict.confirm) return { why: `The selected text is in ${verdict.why}.`, mode: 'confirm' };
  return { why: 'You asked to call the selected text.', mode: 'countdown' };
}

chrome.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId !== CONTEXT_MENU_ID || !info.selectionText) return;
  const { why, mode } = selectionWhy({ frameId: info.frameId ?? 0, url: info.frameUrl ?? info.pageUrl }, tab);
  void askFirst({ to: info.selectionText.trim().slice(0, 64), ...pageOf(tab) }, 'context-menu', why, mode);
});

function pageOf(tab: chrome.tabs.Tab | undefined): { pageUrl?: string; pageTitle?: string } {
  return { ...(tab?.url ? { pageUrl: tab.url } : {}), ...(tab?.title ? { pageTitle: tab.title } : {}) };
}

chrome.commands.onCommand.addListener((command, tab) => {
  if (command !== DIAL_SELECTION_COMMAND) return;
  void (async () => {
    const tabId = tab?.id;
    const results = tabId === undefined ? [] : await chrome.scripting.executeScript({ target: { tabId, allFrames: true }, func: readSelectionInPage }).catch(() => []);
    const picked = pickSelection(results);
    if (!picked) return notify(`no-selection-${Date.now()}`, NO_SELECTION_MESSAGE);
    const { why, mode } = selectionWhy({ frameId: picked.frameId, url: picked.url }, tab);
    await askFirst({ to: picked.text, ...pageOf(tab) }, 'command', why, mode);
  })();
});

browser.runtime.onStartup.addListener(() => {
  void currentState().then(syncState).catch(() => undefined);
});

void browser.alarms.create(SESSION_ALARM, { periodInMinutes: 1 });
browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name !== SESSION_ALARM) return;
  void getAuth(sessionDeps).then(reportStillHere, () => undefined);
  void tellMissedFromHistory().catch(() => undefined);
});
// Read at every start of the worker too, so the mark the alarm compares with is set soon after sign-in.
void tellMissedFromHistory().catch(() => undefined);

browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && BACKEND_STORAGE_KEY in changes) {
    const before = parseExtensionOptions({}, changes[BACKEND_STORAGE_KEY]?.oldValue).backendUrl;
    const after = parseExtensionOptions({}, changes[BACKEND_STORAGE_KEY]?.newValue).backendUrl;
    if (before !== after) void restartSoftphone();
  }
  // A new microphone or speaker (or another agent signed in) is applied at once where a softphone is running.
  if (area === 'local' && (AUDIO_DEVICES_STORAGE_KEY in changes || SESSION_STORAGE_KEY in changes)) {
    void hasOffscreenDocument(offscreenDeps).then((has) => (has ? callOffscreen('c2c:offscreen:audio-devices') : undefined)).catch(() => undefined);
  }
  if (area === 'local' && SESSION_STORAGE_KEY in changes && !changes[SESSION_STORAGE_KEY]?.newValue) void currentState().then(syncState).catch(() => undefined);
});

// A restarted worker has lost nothing: the call lives in the offscreen document; repaint the badge from it.
void currentState().then(syncState).catch(() => undefined);
