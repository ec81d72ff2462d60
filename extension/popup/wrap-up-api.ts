// What the popup's wrap-up parts need (the just-ended call's offer through the worker; history edits, outcomes and the
// CSV export from the backend), as one interface: the browser one in browser-wrap-up-api.ts, fakes in tests.
import type { AgentPresence, Call, CallOutcome } from '../../shared/api.js';
import type { CommandResult } from '../protocol/extension-messages.js';
import type { WrapUpFields, WrapUpView } from '../protocol/messages.js';

export interface CallExportFilter {
  from?: string;
  to?: string;
  agent?: string;
  outcome?: string;
}

export interface WrapUpApi {
  /** The wrap-up offered for the softphone's just-ended call, or null. */
  getOffer(): Promise<WrapUpView | null>;
  /** Called when the offer changes (saved or left in the call bar, for example). */
  onOfferChange(listener: () => void): () => void;
  saveOffer(fields: WrapUpFields): Promise<CommandResult>;
  skipOffer(): Promise<void>;
  /** Offers a left wrap-up of the just-ended call again (Call next waits for a required one). */
  reopenOffer(): Promise<void>;
  /** The organization's outcomes that can be chosen now. */
  fetchOutcomes(): Promise<CallOutcome[]>;
  /** Saves or edits the wrap-up of a call from history; throws a BackendError with the backend's sentence. */
  saveWrapUp(callId: string, fields: WrapUpFields): Promise<Call>;
  listAgents(): Promise<AgentPresence[]>;
  /** Downloads the organization's calls as CSV. */
  exportCalls(filter: CallExportFilter): Promise<void>;
}

/** What history's wrap-up parts need: the API and who is looking (only a wrap-up's author may edit it). */
export interface WrapUpContext {
  api: WrapUpApi;
  agentId: string;
}

/** The start of the notes, for a history row. */
export function notesStart(notes: string, max = 80): string {
  const line = notes.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}
