// Validates every message the service worker receives, checks who sent it, and dispatches it.
import { dialRequestSchema } from '../../shared/messages.js';
import { extensionPageToSwSchema, type CommandResult, type ExtensionPageToSw, type SignInResult, type AuthInfo } from '../../shared/extension-messages.js';
import type { SoftphoneState } from '../../shared/softphone.js';
import type { DialRequestInput } from './dial.js';
import type { DialSource } from '../../shared/extension-messages.js';

export interface MessageSender {
  id?: string;
  url?: string;
  tab?: { id?: number };
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
  forward(message: { type: 'c2c:offscreen:hangup' } | { type: 'c2c:offscreen:mute'; muted: boolean } | { type: 'c2c:offscreen:digits'; digits: string }): Promise<CommandResult>;
  getState(): Promise<SoftphoneState>;
  signIn(email: string, password: string): Promise<SignInResult>;
  signOut(): Promise<void>;
  getAuth(): Promise<AuthInfo>;
  openPermissionPage(): Promise<void>;
  onSoftphoneState(state: SoftphoneState): Promise<void>;
}

const NOT_ALLOWED: CommandResult = { ok: false, error: 'That request is not allowed from a web page.', action: null };

/** Returns a promise for messages this worker answers, undefined for ones it leaves to other contexts. */
export function routeMessage(message: unknown, sender: MessageSender, deps: RouterDeps): Promise<unknown> | undefined {
  const kind = senderKind(sender, deps.extensionId, deps.extensionOrigin);
  const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
  if (kind === 'foreign') return undefined;
  if (kind === 'content-script') {
    if (type !== 'c2c:dial') return typeof type === 'string' && type.startsWith('c2c:') ? Promise.resolve(NOT_ALLOWED) : undefined;
    const parsed = dialRequestSchema.safeParse(message);
    if (!parsed.success) return Promise.resolve({ ok: false, error: 'That number cannot be called: the request was malformed.', action: null });
    const { e164, extension, contactName, pageUrl, pageTitle } = parsed.data;
    return deps.placeCall({ to: e164, extension, contactName, pageUrl, pageTitle }, 'content');
  }
  if (typeof type !== 'string' || !(type.startsWith('c2c:sw:') || type === 'c2c:softphone-state')) return undefined;
  const parsed = extensionPageToSwSchema.safeParse(message);
  if (!parsed.success) return Promise.resolve({ ok: false, error: `The message ${type} was malformed and was ignored.`, action: null });
  return dispatch(parsed.data, deps);
}

async function dispatch(message: ExtensionPageToSw, deps: RouterDeps): Promise<unknown> {
  switch (message.type) {
    case 'c2c:sw:dial': {
      const { to, extension, contactName, pageUrl, pageTitle } = message;
      return deps.placeCall({ to, extension, contactName, pageUrl, pageTitle }, 'popup');
    }
    case 'c2c:sw:hangup':
      return deps.forward({ type: 'c2c:offscreen:hangup' });
    case 'c2c:sw:mute':
      return deps.forward({ type: 'c2c:offscreen:mute', muted: message.muted });
    case 'c2c:sw:digits':
      return deps.forward({ type: 'c2c:offscreen:digits', digits: message.digits });
    case 'c2c:sw:get-state':
      return deps.getState();
    case 'c2c:sw:sign-in':
      return deps.signIn(message.email, message.password);
    case 'c2c:sw:sign-out':
      await deps.signOut();
      return { ok: true };
    case 'c2c:sw:get-auth':
      return deps.getAuth();
    case 'c2c:sw:open-permission':
      await deps.openPermissionPage();
      return { ok: true };
    case 'c2c:softphone-state':
      await deps.onSoftphoneState(message.state);
      return undefined;
  }
}
