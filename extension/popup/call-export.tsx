// History as CSV: days, agent and outcome to filter by, then a download of GET /api/calls/export.
import { useState, type FormEvent } from 'react';
import type { AgentPresence, CallOutcome } from '../../shared/api.js';
import { BackendError } from '../lib/backend-client.js';
import type { WrapUpContext } from './wrap-up-api.js';

export function CallExport({ ctx }: { ctx: WrapUpContext | undefined }) {
  const [open, setOpen] = useState(false);
  const [lists, setLists] = useState<{ agents: AgentPresence[]; outcomes: CallOutcome[] } | null>(null);
  const [filter, setFilter] = useState({ from: '', to: '', agent: '', outcome: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!ctx) return null;

  const show = async () => {
    setOpen(true);
    setError(null);
    try {
      const [agents, outcomes] = await Promise.all([ctx.api.listAgents(), ctx.api.fetchOutcomes()]);
      setLists({ agents, outcomes });
    } catch (e) {
      setError(e instanceof BackendError ? e.message : 'The filters could not be loaded; you can still export everything.');
    }
  };
  const download = async (e: FormEvent) => {
    e.preventDefault();
    if (filter.from && filter.to && filter.from > filter.to) return setError('The first day must come before the last.');
    setBusy(true);
    setError(null);
    try {
      await ctx.api.exportCalls(filter);
    } catch (err) {
      setError(err instanceof BackendError ? err.message : 'The export failed; try again.');
    } finally {
      setBusy(false);
    }
  };
  const set = (key: keyof typeof filter) => (e: { target: { value: string } }) => setFilter({ ...filter, [key]: e.target.value });

  if (!open) {
    return (
      <p>
        <button type="button" onClick={() => void show()}>
          Export CSV
        </button>
      </p>
    );
  }
  return (
    <form className="call-export" aria-label="Export calls as CSV" onSubmit={(e) => void download(e)}>
      <label>
        From
        <input type="date" value={filter.from} onChange={set('from')} />
      </label>
      <label>
        To
        <input type="date" value={filter.to} onChange={set('to')} />
      </label>
      <label>
        Agent
        <select value={filter.agent} onChange={set('agent')}>
          <option value="">Everyone</option>
          {lists?.agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.displayName}
            </option>
          ))}
        </select>
      </label>
      <label>
        Outcome
        <select value={filter.outcome} onChange={set('outcome')}>
          <option value="">Any</option>
          {lists?.outcomes.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p role="alert" className="small notice-error">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={() => setOpen(false)}>
          Close
        </button>
        <button type="submit" disabled={busy}>
          {busy ? 'Exporting…' : 'Download CSV'}
        </button>
      </div>
    </form>
  );
}
