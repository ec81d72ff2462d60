// The wrap-up of the agent's just-ended call, kept by the service worker: offered to the call bar and the popup, saved
// only for that call (a page's message never names one), and the "wrap up first" check before the next dial.
import { callOutcomesResponseSchema, pendingWrapUpResponseSchema, WRAP_UP_REQUIRED_MESSAGE, wrapUpResponseSchema, type CallOutcome } from '../../shared/api.js';
import type { CallStatus } from '../../shared/call-status.js';
import type { AuthInfo, CommandResult } from '../protocol/extension-messages.js';
import type { WrapUpFields, WrapUpView } from '../protocol/messages.js';
import type { LiveCall } from '../protocol/softphone.js';
import { BackendError, requestJson } from '../lib/backend-client.js';

/** What is kept in chrome.storage.session for the last ended call. */
export interface WrapUpRecord {
  callSid: string;
  outcomes: Array<{ id: string; label: string }>;
  selected: string | null;
  /** Whether the organization requires a wrap-up before the next call (when the offer was made). */
  required: boolean;
  state: WrapUpView['state'] | 'skipped';
  error: string | null;
}

export interface WrapUpDeps {
  read(): Promise<WrapUpRecord | null>;
  write(record: WrapUpRecord): Promise<void>;
  getAuth(): Promise<AuthInfo>;
  fetchImpl?: typeof fetch;
}

/** The outcome a call's result points to (busy → Busy), by the organization's matches_statuses; null when none does. */
export function preselectOutcome(outcomes: Array<Pick<CallOutcome, 'id' | 'matchesStatuses'>>, status: CallStatus | null): string | null {
  if (!status) return null;
  return outcomes.find((o) => o.matchesStatuses.includes(status))?.id ?? null;
}

/** The view the bar and the popup draw; null when nothing is offered (none, or left). */
function wrapUpView(record: WrapUpRecord | null, call: LiveCall | null): WrapUpView | null {
  if (!record || record.state === 'skipped' || !call || call.phase !== 'ended' || call.callSid !== record.callSid) return null;
  return { outcomes: record.outcomes, selected: record.selected, state: record.state, error: record.error, required: record.required === true };
}

function isRecord(value: unknown): value is WrapUpRecord {
  const r = value as WrapUpRecord | null;
  return typeof r === 'object' && r !== null && typeof r.callSid === 'string' && Array.isArray(r.outcomes) && typeof r.state === 'string';
}

export function parseWrapUpRecord(value: unknown): WrapUpRecord | null {
  return isRecord(value) ? value : null;
}

async function signedIn(deps: WrapUpDeps): Promise<{ backendUrl: string; accessToken: string } | null> {
  const auth = await deps.getAuth();
  return auth.accessToken ? { backendUrl: auth.backendUrl, accessToken: auth.accessToken } : null;
}

export function createWrapUpOffers(deps: WrapUpDeps) {
  /** One outcome list request per ended call, however many state updates arrive meanwhile. */
  const offering = new Map<string, Promise<WrapUpRecord | null>>();

  async function offer(call: LiveCall): Promise<WrapUpRecord | null> {
    const sid = call.callSid!;
    const auth = await signedIn(deps);
    if (!auth) return null;
    try {
      const { outcomes, wrapUpRequired } = await requestJson({
        backendUrl: auth.backendUrl, path: '/api/wrapups/outcomes', token: auth.accessToken, schema: callOutcomesResponseSchema, fetchImpl: deps.fetchImpl,
      });
      const record: WrapUpRecord = {
        callSid: sid,
        outcomes: outcomes.map((o) => ({ id: o.id, label: o.label })),
        selected: preselectOutcome(outcomes, call.status),
        required: wrapUpRequired,
        state: 'open',
        error: null,
      };
      // Another ended call may have been offered meanwhile: the newest call's offer stays.
      await deps.write(record);
      return record;
    } catch {
      // No outcomes, no offer: the call still ended cleanly, and history can wrap it up later.
      return null;
    }
  }

  return {
    /** The offer for the softphone's call once it has ended (made on first sight of the ended call). */
    async offerFor(call: LiveCall | null): Promise<WrapUpView | null> {
      if (!call || call.phase !== 'ended' || !call.callSid) return null;
      const current = await deps.read();
      if (current?.callSid === call.callSid) return wrapUpView(current, call);
      let pending = offering.get(call.callSid);
      if (!pending) {
        pending = offer(call).finally(() => offering.delete(call.callSid!));
        offering.set(call.callSid, pending);
      }
      return wrapUpView(await pending, call);
    },

    /** Saves the wrap-up of the softphone's just-ended call (the only call a bar or popup message can mean). */
    async save(call: LiveCall | null, fields: WrapUpFields): Promise<CommandResult> {
      const record = await deps.read();
      if (!record || !call || call.phase !== 'ended' || call.callSid !== record.callSid || record.state === 'skipped' || record.state === 'saved') {
        return { ok: false, error: 'There is no ended call to wrap up here; wrap up older calls from the history in the popup.', action: null };
      }
      if (!record.outcomes.some((o) => o.id === fields.outcomeId)) return { ok: false, error: 'Choose one of the outcomes offered.', action: null };
      const auth = await signedIn(deps);
      if (!auth) return { ok: false, error: 'Sign in to save the wrap-up.', action: 'sign-in' };
      await deps.write({ ...record, selected: fields.outcomeId, state: 'saving', error: null });
      try {
        await requestJson({
          backendUrl: auth.backendUrl, path: '/api/wrapups', token: auth.accessToken, schema: wrapUpResponseSchema, fetchImpl: deps.fetchImpl,
          body: { callSid: record.callSid, outcomeId: fields.outcomeId, notes: fields.notes, followUpOn: fields.followUpOn },
        });
        await deps.write({ ...record, selected: fields.outcomeId, state: 'saved', error: null });
        return { ok: true };
      } catch (error) {
        const message = error instanceof BackendError ? error.message : 'The wrap-up could not be saved; try again.';
        await deps.write({ ...record, selected: fields.outcomeId, state: 'failed', error: message.slice(0, 300) });
        return { ok: false, error: message, action: error instanceof BackendError ? error.action : null };
      }
    },

    /** Leaves the offer (Escape or Skip); history can still wrap the call up. */
    async skip(call: LiveCall | null): Promise<void> {
      const record = await deps.read();
      if (record && call?.callSid === record.callSid && record.state !== 'saved') await deps.write({ ...record, state: 'skipped' });
    },

    /** Offers a left wrap-up again (Call next waits for a required one): the popup takes the agent back to it. */
    async reopen(call: LiveCall | null): Promise<void> {
      const record = await deps.read();
      if (record && call?.callSid === record.callSid && record.state === 'skipped') await deps.write({ ...record, state: 'open' });
    },

    /**
     * The sentence that stops a dial when the organization requires a wrap-up and the last call has none; null to go
     * on. Asked of the backend only when the offer was not saved (it may have been wrapped up from history since).
     */
    async holdBeforeDial(): Promise<string | null> {
      const record = await deps.read();
      if (!record || !record.required || record.state === 'saved') return null;
      const auth = await signedIn(deps);
      if (!auth) return null;
      try {
        const pending = await requestJson({ backendUrl: auth.backendUrl, path: '/api/wrapups/pending', token: auth.accessToken, schema: pendingWrapUpResponseSchema, fetchImpl: deps.fetchImpl });
        if (pending.required && pending.call) return WRAP_UP_REQUIRED_MESSAGE;
        await deps.write({ ...record, required: pending.required, state: record.state === 'skipped' ? 'skipped' : 'saved' });
        return null;
      } catch {
        // The backend holds the call itself if it must.
        return null;
      }
    },
  };
}

export type WrapUpOffers = ReturnType<typeof createWrapUpOffers>;
