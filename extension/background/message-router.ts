// Validates every message the service worker receives, checks who sent it, and dispatches it.
import { type CallBarView, type NumberPolicyWire, type WrapUpFields, type WrapUpView } from '../protocol/messages.js';
import type { CommandResult, SignInResult, AuthInfo } from '../protocol/extension-messages.js';
import { dispatch, knows, parseRequest, type Handlers } from '../protocol/messenger.js';
import { workerPageProtocol, type WorkerPageProtocol } from '../protocol/worker.js';
import { CALL_BAR_TYPES, workerContentProtocol, type WorkerContentProtocol } from '../protocol/worker-from-content.js';
import type { SoftphoneState } from '../protocol/softphone.js';
import type { SoftphoneCommander } from '../protocol/offscreen.js';
import { NO_AUDIO_CHOICE, type AudioChoice } from '../lib/audio-devices.js';
import type { DialRequestInput } from './dial.js';
import type { DialSource, PendingDialView } from '../protocol/extension-messages.js';
import { framePolicy, pageOfSender, type DialSender } from './frame-policy.js';

export interface MessageSender extends DialSender {
  id?: string;
}

export type SenderKind = 'extension-page' | 'content-script' | 'foreign';

/** Extension pages (popup, options, permission, offscreen — even opened in a tab) have a URL inside the extension. */
export function senderKind(sender: MessageSender, extensionId: string, extensionOrigin: string): SenderKind {
  if (sender.id !== extensionId) return 'foreign';
  if (sender.url?.startsWith(extensionOrigin)) return 'extension-page';
  if (sender.tab) return 'content-script';
  return 'foreign';
}

export interface RouterDeps {
  extensionId: string;
  /** chrome-extension://<id>/ */
  extensionOrigin: string;
  placeCall(input: DialRequestInput, source: DialSource): Promise<CommandResult>;
  /** Passes a softphone command on to the offscreen document (protocol/offscreen.ts names them). */
  forward: SoftphoneCommander;
  getState(): Promise<SoftphoneState>;
  signIn(email: string, password: string): Promise<SignInResult>;
  signOut(): Promise<void>;
  getAuth(): Promise<AuthInfo>;
  openPermissionPage(): Promise<void>;
  onSoftphoneState(state: SoftphoneState): Promise<void>;
  /** Whether the tab's top-level site is switched off in the options (then its frames cannot dial either). */
  siteDisabled(pageUrl: string | undefined): Promise<boolean>;
  /** Asks the agent in an extension window before dialling (a frame's number); resolves once the window is open. */
  confirmDial(input: DialRequestInput, source: DialSource, why: string): Promise<CommandResult>;
  pendingDial(id: string): Promise<PendingDialView>;
  confirmPendingDial(id: string): Promise<CommandResult>;
  cancelPendingDial(id: string): Promise<void>;
  /** Tells the agent, outside the page, why a click on the chip placed nothing. */
  notifyRefusedClick(reason: string): Promise<void>;
  /** The offscreen document's URL: only it reports the softphone's state. */
  offscreenUrl: string;
  /** What the in-page call bar shows now. */
  callBarView(): Promise<CallBarView | null>;
  /** A sentence in the call bar of that tab (a dial refused while a call is live). */
  tellTab(tabId: number, text: string): Promise<void>;
  /** Answers or declines the incoming call with that CallSid, only if it is really ringing for this agent now. */
  respondToIncoming?(callSid: string, how: 'answer' | 'decline'): Promise<CommandResult>;
  /** The organization's destination policy from the backend (number-policy.ts), null when it cannot be read. */
  numberPolicy?(): Promise<NumberPolicyWire | null>;
  /** The signed-in agent's microphone and speaker (audio-devices.ts). */
  audioChoice?(): Promise<AudioChoice>;
  /** The wrap-up of the softphone's just-ended call (wrap-up-offer.ts): the worker, not the message, knows which call. */
  wrapUp: {
    offer(): Promise<WrapUpView | null>;
    save(fields: WrapUpFields): Promise<CommandResult>;
    skip(): Promise<void>;
    reopen(): Promise<void>;
  };
}

const NOT_ALLOWED: CommandResult = { ok: false, error: 'That request is not allowed from a web page.', action: null };

/** Returns a promise for messages this worker answers, undefined for ones it leaves to other contexts. */
export function routeMessage(message: unknown, sender: MessageSender, deps: RouterDeps): Promise<unknown> | undefined {
  const kind = senderKind(sender, deps.extensionId, deps.extensionOrigin);
  const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
  if (kind === 'foreign') return undefined;
  if (kind === 'content-script') {
    // Routed by the content protocol's keys; any other c2c: message from a page is refused, a foreign one left alone.
    if (!knows(workerContentProtocol, type)) return typeof type === 'string' && type.startsWith('c2c:') ? Promise.resolve(NOT_ALLOWED) : undefined;
    const request = parseRequest(workerContentProtocol, message);
    if (!request) return Promise.resolve(type === 'c2c:dial' ? { ok: false, error: 'That number cannot be called: the request was malformed.', action: null } : NOT_ALLOWED);
    if (CALL_BAR_TYPES.has(request.type)) {
      // The bar is drawn in the top document only: a frame has no bar, so its requests are refused.
      if (sender.frameId !== 0) return Promise.resolve(NOT_ALLOWED);
      // And only in the tab in front (Chrome says which, not the page): a page in a background tab has no bar to click,
      // so even a compromised one cannot answer a ringing call (opening the microphone to the caller) or touch a live one.
      if (sender.tab?.active !== true) return Promise.resolve(NOT_ALLOWED);
    }
    return dispatch(contentHandlers(deps, sender), request);
  }
  // Routed by the protocol map's own keys: a type it does not name is left to the other contexts (offscreen, content).
  if (!knows(workerPageProtocol, type)) return undefined;
  // The softphone's state is the offscreen document's to report; no other page may paint a call into the popup.
  if (type === 'c2c:softphone-state' && !sender.url?.startsWith(deps.offscreenUrl)) return Promise.resolve(NOT_ALLOWED);
  const parsed = parseRequest(workerPageProtocol, message);
  if (!parsed) return Promise.resolve({ ok: false, error: `The message ${type} was malformed and was ignored.`, action: null });
  return dispatch(pageHandlers(deps), parsed);
}

/** A dial from a page: recorded against the tab's real page; a frame the page does not own asks the agent first. */
async function contentDial(request: { e164: string; extension?: string; contactName?: string }, sender: MessageSender, deps: RouterDeps): Promise<CommandResult> {
  const page = pageOfSender(sender);
  if (await deps.siteDisabled(sender.tab?.url)) return { ok: false, error: 'Calling is switched off for this site in the options.', action: null };
  const input: DialRequestInput = { to: request.e164, extension: request.extension, contactName: request.contactName, ...page };
  const verdict = framePolicy(sender);
  if (verdict.confirm) return deps.confirmDial(input, 'content', `This number was offered by ${verdict.why}.`);
  const result = await deps.placeCall(input, 'content');
  if (!result.ok && sender.tab?.id !== undefined) await deps.tellTab(sender.tab.id, result.error).catch(() => undefined);
  return result;
}

/**
 * One handler per entry of protocol/worker-from-content.ts. The bar's buttons take only trusted clicks on a visible bar;
 * a compromised page in front could still answer, end, mute or press a key in the agent's call (see
 * docs/extension-permissions.md), never start one.
 */
function contentHandlers(deps: RouterDeps, sender: MessageSender): Handlers<WorkerContentProtocol> {
  return {
    'c2c:dial': (request) => contentDial(request, sender, deps),
    'c2c:click-refused': ({ reason }) => deps.notifyRefusedClick(reason).then(() => ({ ok: true }) as const),
    // Any frame may ask which destinations are allowed: the answer comes from the backend, not from the page.
    'c2c:number-policy': () => deps.numberPolicy?.() ?? Promise.resolve(null),
    'c2c:call-bar-state': () => deps.callBarView(),
    'c2c:bar:hangup': () => deps.forward('c2c:offscreen:hangup', {}),
    'c2c:bar:mute': ({ muted }) => deps.forward('c2c:offscreen:mute', { muted }),
    'c2c:bar:digit': ({ digit }) => deps.forward('c2c:offscreen:digits', { digits: digit }),
    // Answer from the bar is the person's trusted click in the tab in front; the worker checks the call rings for this agent.
    'c2c:bar:answer': ({ callSid }) => deps.respondToIncoming?.(callSid, 'answer') ?? Promise.resolve(NOT_ALLOWED),
    'c2c:bar:decline': ({ callSid }) => deps.respondToIncoming?.(callSid, 'decline') ?? Promise.resolve(NOT_ALLOWED),
    // A page may write the wrap-up of the agent's own just-ended call at most (the backend checks it again).
    'c2c:bar:wrap-up': ({ fields }) => deps.wrapUp.save(fields),
    'c2c:bar:wrap-up-skip': () => deps.wrapUp.skip().then(() => ({ ok: true }) as const),
  };
}

/** One handler per entry of protocol/worker.ts (a new entry without its handler does not compile). */
function pageHandlers(deps: RouterDeps): Handlers<WorkerPageProtocol> {
  const done = { ok: true } as const;
  return {
    'c2c:sw:dial': ({ to, extension, contactName, pageUrl, pageTitle }) => deps.placeCall({ to, extension, contactName, pageUrl, pageTitle }, 'popup'),
    'c2c:sw:hangup': () => deps.forward('c2c:offscreen:hangup', {}),
    'c2c:sw:mute': ({ muted }) => deps.forward('c2c:offscreen:mute', { muted }),
    'c2c:sw:digits': ({ digits }) => deps.forward('c2c:offscreen:digits', { digits }),
    'c2c:sw:get-state': () => deps.getState(),
    'c2c:sw:sign-in': ({ email, password }) => deps.signIn(email, password),
    'c2c:sw:sign-out': () => deps.signOut().then(() => done),
    'c2c:sw:get-auth': () => deps.getAuth(),
    'c2c:sw:open-permission': () => deps.openPermissionPage().then(() => done),
    'c2c:sw:pending-dial': ({ id }) => deps.pendingDial(id),
    'c2c:sw:confirm-dial': ({ id }) => deps.confirmPendingDial(id),
    'c2c:sw:cancel-dial': ({ id }) => deps.cancelPendingDial(id).then(() => done),
    'c2c:softphone-state': ({ state }) => deps.onSoftphoneState(state).then(() => undefined),
    'c2c:sw:answer': ({ callSid }) => deps.respondToIncoming?.(callSid, 'answer') ?? Promise.resolve(NOT_ALLOWED),
    'c2c:sw:decline': ({ callSid }) => deps.respondToIncoming?.(callSid, 'decline') ?? Promise.resolve(NOT_ALLOWED),
    'c2c:sw:wrap-up-offer': () => deps.wrapUp.offer(),
    'c2c:sw:wrap-up-save': ({ fields }) => deps.wrapUp.save(fields),
    'c2c:sw:wrap-up-skip': () => deps.wrapUp.skip().then(() => done),
    'c2c:sw:wrap-up-reopen': () => deps.wrapUp.reopen().then(() => done),
    'c2c:sw:number-policy': () => deps.numberPolicy?.() ?? Promise.resolve(null),
    'c2c:sw:audio-devices': () => deps.audioChoice?.() ?? Promise.resolve(NO_AUDIO_CHOICE),
  };
}
