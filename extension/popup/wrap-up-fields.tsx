// The wrap-up's fields (outcome, notes, follow-up day) with Save and Skip/Cancel; Escape leaves, Ctrl+Enter saves.
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { WrapUpFields } from '../protocol/messages.js';

export interface WrapUpFieldsProps {
  outcomes: Array<{ id: string; label: string }>;
  initial: { outcomeId: string | null; notes: string; followUpOn: string | null };
  saving: boolean;
  error: string | null;
  leaveLabel: string;
  onSave(fields: WrapUpFields): void;
  onLeave(): void;
  /** Names the form for assistive technology and tests. */
  label: string;
}

export function WrapUpFieldsForm({ outcomes, initial, saving, error, leaveLabel, onSave, onLeave, label }: WrapUpFieldsProps) {
  const [outcomeId, setOutcomeId] = useState(initial.outcomeId ?? '');
  const [notes, setNotes] = useState(initial.notes);
  const [followUpOn, setFollowUpOn] = useState(initial.followUpOn ?? '');
  const [missing, setMissing] = useState(false);
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!outcomeId) return setMissing(true);
    setMissing(false);
    onSave({ outcomeId, notes: notes.slice(0, 2000), followUpOn: /^\d{4}-\d{2}-\d{2}$/.test(followUpOn) ? followUpOn : null });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onLeave();
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit();
  };
  const shownError = missing ? 'Choose an outcome for the call.' : error;
  return (
    <form className="wrap-up-form" aria-label={label} onSubmit={submit} onKeyDown={onKeyDown} noValidate>
      <label>
        Outcome
        <select value={outcomeId} onChange={(e) => setOutcomeId(e.target.value)}>
          <option value="" disabled>
            Choose an outcome…
          </option>
          {outcomes.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Notes
        <textarea value={notes} maxLength={2000} rows={3} onChange={(e) => setNotes(e.target.value)} placeholder="What was said, what comes next" />
      </label>
      <label>
        Follow up on (optional)
        <input type="date" value={followUpOn} onChange={(e) => setFollowUpOn(e.target.value)} />
      </label>
      {shownError && (
        <p role="alert" className="small notice-error">
          {shownError}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={onLeave}>
          {leaveLabel}
        </button>
        <button type="submit" disabled={saving}>
          {saving ? 'Saving…' : 'Save wrap-up'}
        </button>
      </div>
    </form>
  );
}
