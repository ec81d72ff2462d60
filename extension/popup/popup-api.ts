// What the popup needs from the rest of the extension, as one interface (the browser one in browser-popup-api.ts, fakes in tests).
import type { AgentPresence, CallsPage, ChosenPresence, LiveEvent, Session } from '../../shared/api.js';
import type { AuthInfo, CommandResult, SignInResult } from '../protocol/extension-messages.js';
import type { ListedNumber, NumberPolicyWire } from '../protocol/messages.js';
import type { SoftphoneState } from '../protocol/softphone.js';
import type { CallFromChoice } from '../lib/call-from.js';
import type { WrapUpApi } from './wrap-up-api.js';

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
  /** Ends, on the server, the agent's call the softphone does not hold (POST /api/calls/:id/hangup). */
  endServerCall(callId: string): Promise<CommandResult>;
  /** The incoming call ringing here (see incoming-call.tsx). */
  answer?(callSid: string): Promise<CommandResult>;
  decline?(callSid: string): Promise<CommandResult>;

  /** The numbers every frame of the page offers (frames asked one by one), the page's own first. */
  listPageNumbers(): Promise<PageNumbers>;
  /** The agent's choice of presence; a sentence when it could not be saved. */
  setPresence?(presence: ChosenPresence): Promise<{ ok: true; agent: AgentPresence } | { ok: false; error: string }>;
  /** The country whose numbers are shown in national format (the options' default country). */
  defaultCountry?(): Promise<string>;
  /** The organization's destination policy, from the worker (null when the backend cannot be read). */
  numberPolicy?(): Promise<NumberPolicyWire | null>;
  /** One page of the call history, newest first: the newest calls without a cursor, else those older than the page that gave it. */
  fetchCalls(cursor?: string): Promise<CallsPage>;
  fetchAgents(): Promise<AgentPresence[]>;
  /** The organization's numbers and the agent's "Call from" choice (call-from-picker.tsx). */
  fetchPhoneNumbers?(): Promise<Array<{ e164: string; label: string; isDefault: boolean }>>;
  readCallFrom?(): Promise<CallFromChoice | null>;
  saveCallFrom?(choice: CallFromChoice): Promise<void>;
  /** A call's voicemail audio (GET /api/calls/:id/recording). */
  fetchRecording?(callId: string): Promise<Blob>;
  /** Follows GET /api/events until the signal aborts; resolves or rejects when the stream ends. */
  followLiveEvents(onEvent: (event: LiveEvent) => void, signal: AbortSignal): Promise<void>;

  openPermissionPage(): Promise<void>;
  openOptions(): Promise<void>;
  /** Wrap-ups and the CSV export (wrap-up-api.ts); without it, those parts are not shown. */
  wrapUps?: WrapUpApi;
}
