// What the popup needs from the rest of the extension, as one interface (the browser one in browser-popup-api.ts, fakes in tests).
import type { AgentPresence, CallsPage, ChosenPresence, LiveEvent, Session } from '../../shared/api.js';
import type { AuthInfo, CommandResult, SignInResult } from '../../shared/extension-messages.js';
import type { ListedNumber } from '../../shared/messages.js';
import type { SoftphoneState } from '../../shared/softphone.js';

export interface DialInput {
  to: string;
  extension?: string;
  contactName?: string;
  pageUrl?: string;
  pageTitle?: string;
}

/** A number offered on the page, and the frame it is in (null: the page itself; else the frame's host). */
export type PageNumber = ListedNumber & { frame?: string | null };

export interface PageNumbers {
  numbers: PageNumber[];
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

  /** The numbers every frame of the page offers (frames asked one by one), the page's own first. */
  listPageNumbers(): Promise<PageNumbers>;
  /** The agent's choice of presence; a sentence when it could not be saved. */
  setPresence?(presence: ChosenPresence): Promise<{ ok: true; agent: AgentPresence } | { ok: false; error: string }>;
  /** The country whose numbers are shown in national format (the options' default country). */
  defaultCountry?(): Promise<string>;
  /** One page of the call history, newest first: the newest calls without a cursor, else those older than the page that gave it. */
  fetchCalls(cursor?: string): Promise<CallsPage>;
  fetchAgents(): Promise<AgentPresence[]>;
  /** Follows GET /api/events until the signal aborts; resolves or rejects when the stream ends. */
  followLiveEvents(onEvent: (event: LiveEvent) => void, signal: AbortSignal): Promise<void>;

  openPermissionPage(): Promise<void>;
  openOptions(): Promise<void>;
}
