// "Call from": the organization's number the agent's calls show, remembered, with the optional local-presence rule
// (the number in the callee's area code or country when the team has one). The backend still checks every choice.
import { useEffect, useState } from 'react';
import type { CallFromChoice } from '../lib/call-from.js';
import { formatForPeople } from '../../shared/phone/format.js';

export interface CallFromApi {
  fetchPhoneNumbers?(): Promise<Array<{ e164: string; label: string; isDefault: boolean }>>;
  readCallFrom?(): Promise<CallFromChoice | null>;
  saveCallFrom?(choice: CallFromChoice): Promise<void>;
}

export function CallFromPicker({ api, disabled }: { api: CallFromApi; disabled: boolean }) {
  const [numbers, setNumbers] = useState<Array<{ e164: string; label: string; isDefault: boolean }> | null>(null);
  const [choice, setChoice] = useState<CallFromChoice | null>(null);
  useEffect(() => {
    let alive = true;
    void Promise.all([api.fetchPhoneNumbers?.() ?? Promise.resolve([]), api.readCallFrom?.() ?? Promise.resolve(null)]).then(
      ([listed, saved]) => {
        if (!alive) return;
        setNumbers(listed);
        // A remembered number the organization no longer has falls back to its default.
        const number = saved?.number && listed.some((n) => n.e164 === saved.number) ? saved.number : null;
        const next = { number, localPresence: saved?.localPresence ?? false, numbers: listed.map((n) => n.e164) };
        setChoice(next);
        void api.saveCallFrom?.(next);
      },
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [api]);
  if (!numbers || numbers.length === 0 || !choice) return null;
  const save = (next: CallFromChoice) => {
    setChoice(next);
    void api.saveCallFrom?.(next);
  };
  return (
    <section className="call-from" aria-label="Call from">
      <label>
        Call from{' '}
        <select disabled={disabled} value={choice.number ?? ''} onChange={(e) => save({ ...choice, number: e.target.value || null })}>
          <option value="">Organization default</option>
          {numbers.map((n) => (
            <option key={n.e164} value={n.e164}>
              {formatForPeople(n.e164)}
              {n.label ? ` · ${n.label}` : ''}
              {n.isDefault ? ' (default)' : ''}
            </option>
          ))}
        </select>
      </label>
      <label className="small">
        <input type="checkbox" disabled={disabled} checked={choice.localPresence} onChange={(e) => save({ ...choice, localPresence: e.target.checked })} /> Local presence: call from
        our number in the callee&apos;s area code or country when we have one
      </label>
    </section>
  );
}
