// What the popup needs from the rest of the extension, as one interface (the browser one in browser-popup-api.ts, fakes in tests).
import type { AgentPresence, CallsPage, LiveEvent, Session } from '../../shared/api.js';
import type { AuthInfo, CommandResult, SignInResult } from '../../shared/extension-messages.js';
import type { ListedNumber } from '../../shared/messages.js';
import type { SoftphoneState } from '../../shared/softphone.js';
import type { WrapUpApi } from './wrap-up-api.js';

export interface DialInput {
  to: string;
  extension?: string;
  contactName?: string;
  pageUrl?: string;
  pageTitle?: string;
}

export interface PageNumbers {
  numbers: ListedNumber[];
  pageUrl?: string;
  pageTitle?: string;
}

export interface PopupApi {
  readSession(): Promise<Session | null>;
  onSessionChange(listener: (session: Session | null) => void): () => void;
  signIn(email: string, password: string): Promise<SignInResult>;
  signOut(): Promise<void>;
  getAuth(): Promise<AuthInfo>;

  getState(): Promise<SoftphoneState>;
  onState(listener: (state: SoftphoneState) => void): () => void;
  dial(input: DialInput): Promise<CommandResult>;
  hangup(): Promise<CommandResult>;
  setMuted(muted: boolean): Promise<CommandResult>;
  sendDigits(digits: string): Promise<CommandResult>;

  listPageNumbers(): Promise<PageNumbers>;
  /** One page of the call history, newest first: the newest calls without a cursor, else those older than the page that gave it. */
  fetchCalls(cursor?: string): Promise<CallsPage>;
  fetchAgents(): Promise<AgentPresence[]>;
  /** Follows GET /api/events until the signal aborts; resolves or rejects when the stream ends. */
  followLiveEvents(onEvent: (event: LiveEvent) => void, signal: AbortSignal): Promise<void>;

  openPermissionPage(): Promise<void>;
  openOptions(): Promise<void>;
  /** Wrap-ups and the CSV export (wrap-up-api.ts); without it, those parts are not shown. */
  wrapUps?: WrapUpApi;
}
