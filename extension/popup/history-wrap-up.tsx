// A history row's wrap-up: outcome, the start of the notes and who wrote it; its author (only) may edit it, and the
// call's own agent may wrap up a call that has none.
import { useState } from 'react';
import type { Call, CallOutcome } from '../../shared/api.js';
import type { WrapUpFields } from '../protocol/messages.js';
import { BackendError } from '../lib/backend-client.js';
import { notesStart, type WrapUpContext } from './wrap-up-api.js';
import { WrapUpFieldsForm } from './wrap-up-fields.js';

const ENDED = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

export function HistoryWrapUp({ call, ctx }: { call: Call; ctx: WrapUpContext | undefined }) {
  const [editing, setEditing] = useState<CallOutcome[] | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!ctx) return null;
  const wrapUp = call.wrapUp ?? null;
  const mayEdit = wrapUp ? wrapUp.writtenBy === ctx.agentId : call.assignedTo === ctx.agentId && ENDED.has(call.status);
  const who = call.contactName ?? (call.direction === 'outbound' ? call.toNumber : call.fromNumber) ?? 'this call';

  const open = async () => {
    setError(null);
    try {
      setEditing(await ctx.api.fetchOutcomes());
    } catch (e) {
      setError(e instanceof BackendError ? e.message : 'The outcomes could not be loaded; try again.');
    }
  };
  const save = async (fields: WrapUpFields) => {
    setSaving(true);
    setError(null);
    try {
      await ctx.api.saveWrapUp(call.id, fields);
      setEditing(null);
    } catch (e) {
      setError(e instanceof BackendError ? e.message : 'The wrap-up could not be saved; try again.');
    } finally {
      setSaving(false);
    }
  };

  if (editing) {
    // An archived outcome the wrap-up already has stays choosable for it.
    const outcomes = wrapUp?.outcomeId && !editing.some((o) => o.id === wrapUp.outcomeId) ? [...editing, { id: wrapUp.outcomeId, label: wrapUp.outcomeLabel ?? 'Archived outcome' }] : editing;
    return (
      <WrapUpFieldsForm
        label={`Wrap-up of the call with ${who}`}
        outcomes={outcomes}
        // A first wrap-up starts from the outcome the call's result points to (busy → Busy), as after the call.
        initial={{ outcomeId: wrapUp?.outcomeId ?? editing.find((o) => o.matchesStatuses.includes(call.status))?.id ?? null, notes: wrapUp?.notes ?? '', followUpOn: wrapUp?.followUpOn ?? null }}
        saving={saving}
        error={error}
        leaveLabel="Cancel"
        onSave={(fields) => void save(fields)}
        onLeave={() => setEditing(null)}
      />
    );
  }
  return (
    <div className="small wrap-up-line">
      {wrapUp && (
        <span title={wrapUp.notes}>
          <strong className="wrap-up-outcome">{wrapUp.outcomeLabel ?? 'No outcome'}</strong>
          {wrapUp.notes && <span className="wrap-up-notes"> · {notesStart(wrapUp.notes)}</span>}
          {wrapUp.followUpOn && <span> · follow up {wrapUp.followUpOn}</span>}
          <span className="muted"> · {wrapUp.writtenBy === ctx.agentId ? 'you' : (wrapUp.writtenByName ?? 'a teammate')}</span>
        </span>
      )}
      {mayEdit && (
        <button type="button" className="link" aria-label={`${wrapUp ? 'Edit wrap-up' : 'Wrap up'} of the call with ${who}`} onClick={() => void open()}>
          {wrapUp ? 'Edit' : 'Wrap up'}
        </button>
      )}
      {error && (
        <span role="alert" className="notice-error">
          {' '}
          {error}
        </span>
      )}
    </div>
  );
}
