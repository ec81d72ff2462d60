// The options page's admin section: the organization's call outcomes (add, rename, archive, and which call results
// pre-select each) and whether a wrap-up is required before the next call. Shown only to admins: the backend says who is one (403 for everyone else).
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { z } from 'zod';
import { callOutcomesResponseSchema, OUTCOME_RESULTS, outcomeResponseSchema, type CallOutcome, type CallOutcomesResponse } from '../../shared/api.js';
import type { AuthInfo } from '../protocol/extension-messages.js';
import { BackendError, requestJson } from '../lib/backend-client.js';

const settingSchema = z.object({ wrapUpRequired: z.boolean() });

export function AdminOutcomes({ getAuth, fetchImpl }: { getAuth: () => Promise<AuthInfo>; fetchImpl?: typeof fetch }) {
  const [data, setData] = useState<CallOutcomesResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [newLabel, setNewLabel] = useState('');

  const call = useCallback(
    async <T,>(path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> => {
      const auth = await getAuth();
      if (!auth.accessToken) throw new BackendError('Sign in first.', 401, null, 'sign-in');
      return requestJson({ backendUrl: auth.backendUrl, token: auth.accessToken, path, schema, body, fetchImpl });
    },
    [getAuth, fetchImpl],
  );
  const load = useCallback(async () => {
    try {
      setData(await call('/api/admin/outcomes', callOutcomesResponseSchema));
    } catch {
      // Not an admin, signed out or no backend: the section is not for this person now.
      setData(null);
    }
  }, [call]);
  useEffect(() => void load(), [load]);

  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      await load();
    } catch (e) {
      setError(e instanceof BackendError ? e.message : 'That change could not be saved; try again.');
      // What was shown at once goes back to what the backend kept.
      await load();
    }
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    const label = newLabel.trim();
    if (!label) return setError('Give the outcome a name.');
    void run(async () => {
      await call('/api/admin/outcomes', outcomeResponseSchema, { label });
      setNewLabel('');
    });
  };

  if (!data) return null;
  return (
    <section aria-labelledby="admin-outcomes" className="admin-outcomes">
      <h2 id="admin-outcomes">Wrap-up (admins)</h2>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={data.wrapUpRequired}
          onChange={(e) => {
            const wrapUpRequired = e.target.checked;
            // Shown at once; the reload after the request shows what the backend kept.
            setData({ ...data, wrapUpRequired });
            void run(() => call('/api/admin/wrap-up-setting', settingSchema, { wrapUpRequired }));
          }}
        />
        Require a wrap-up before an agent's next call
      </label>
      <h3>Call outcomes</h3>
      <ul className="rows" aria-label="Call outcomes">
        {data.outcomes.map((o) => (
          <li key={o.id} className="row">
            <OutcomeName
              label={o.label}
              archived={o.archived}
              onRename={(label) => void run(() => call(`/api/admin/outcomes/${o.id}`, outcomeResponseSchema, { label }))}
            />
            <button type="button" onClick={() => void run(() => call(`/api/admin/outcomes/${o.id}`, outcomeResponseSchema, { archived: !o.archived }))}>
              {o.archived ? `Restore ${o.label}` : `Archive ${o.label}`}
            </button>
            <OutcomeResults
              outcome={o}
              onChange={(matchesStatuses) => {
                // Shown at once; the reload shows what the backend kept (it refuses a result another outcome has).
                setData({ ...data, outcomes: data.outcomes.map((x) => (x.id === o.id ? { ...x, matchesStatuses } : x)) });
                void run(() => call(`/api/admin/outcomes/${o.id}`, outcomeResponseSchema, { matchesStatuses }));
              }}
            />
          </li>
        ))}
      </ul>
      <form onSubmit={add} aria-label="Add an outcome">
        <label>
          New outcome
          <input value={newLabel} maxLength={60} onChange={(e) => setNewLabel(e.target.value)} />
        </label>
        <button type="submit">Add outcome</button>
      </form>
      {error && (
        <p role="alert" className="notice-error">
          {error}
        </p>
      )}
    </section>
  );
}

/** Call results in words, as the wrap-up's pre-selection reads them. */
const RESULT_LABELS: Record<(typeof OUTCOME_RESULTS)[number], string> = {
  completed: 'Answered',
  busy: 'Busy',
  'no-answer': 'No answer',
  failed: 'Failed',
  canceled: 'Canceled',
};

/** Which call results pre-select this outcome in the wrap-up; each result belongs to one active outcome at most. */
function OutcomeResults({ outcome, onChange }: { outcome: CallOutcome; onChange: (matchesStatuses: string[]) => void }) {
  return (
    <fieldset className="outcome-results" aria-label={`Call results that pre-select ${outcome.label}`} disabled={outcome.archived}>
      <legend className="small muted">Pre-selected after</legend>
      {OUTCOME_RESULTS.map((result) => (
        <label key={result} className="checkbox small">
          <input
            type="checkbox"
            checked={outcome.matchesStatuses.includes(result)}
            onChange={(e) =>
              onChange(e.target.checked ? OUTCOME_RESULTS.filter((r) => r === result || outcome.matchesStatuses.includes(r)) : outcome.matchesStatuses.filter((r) => r !== result))
            }
          />
          {RESULT_LABELS[result]}
        </label>
      ))}
    </fieldset>
  );
}

function OutcomeName({ label, archived, onRename }: { label: string; archived: boolean; onRename: (label: string) => void }) {
  const [value, setValue] = useState(label);
  useEffect(() => setValue(label), [label]);
  const commit = () => {
    if (value.trim() && value.trim() !== label) onRename(value.trim());
    else setValue(label);
  };
  return (
    <input
      aria-label={`Name of the outcome ${label}${archived ? ' (archived)' : ''}`}
      value={value}
      maxLength={60}
      disabled={archived}
      onChange={(e) => setValue(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), commit())}
    />
  );
}
