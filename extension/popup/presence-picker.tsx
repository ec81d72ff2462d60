// The agent's own status: Available, Away or Do not disturb (saved on the backend; teammates see it live). On a call and
// Offline are derived, never chosen.
import { useState } from 'react';
import type { AgentPresence, ChosenPresence } from '../../shared/api.js';
import type { PopupApi } from './popup-api.js';

const PRESENCE_WORDS: Record<ChosenPresence, string> = { available: 'Available', away: 'Away', dnd: 'Do not disturb' };

export function PresencePicker({ api, self, onSaved }: { api: PopupApi; self: AgentPresence | null; onSaved: (agent: AgentPresence) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  if (!api.setPresence) return null;
  const setPresence = api.setPresence.bind(api);
  const value = self?.chosenPresence ?? 'available';
  const change = async (presence: ChosenPresence) => {
    setSaving(true);
    setError(null);
    const result = await setPresence(presence);
    setSaving(false);
    if (result.ok) onSaved(result.agent);
    else setError(result.error);
  };
  return (
    <span className="presence-picker">
      <label className="inline-label">
        <span className="visually-hidden">Your status</span>
        <select aria-label="Your status" value={value} disabled={saving || self === null} onChange={(e) => void change(e.target.value as ChosenPresence)}>
          {(Object.keys(PRESENCE_WORDS) as ChosenPresence[]).map((p) => (
            <option key={p} value={p}>
              {PRESENCE_WORDS[p]}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <span role="alert" className="small notice-error">
          {error}
        </span>
      )}
    </span>
  );
}
