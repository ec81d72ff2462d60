// A call the server still has open for this agent that this browser's softphone does not hold (the browser or the
// extension restarted mid-call): said plainly, with the one action that ends it on the server.
import { useEffect, useState } from 'react';
import type { AgentPresence } from '../../shared/api.js';
import { isCallLive, type SoftphoneState } from '../protocol/softphone.js';
import type { PopupApi } from './popup-api.js';

/** Longer than a dial takes to get its SID and a hang-up its final callback, so a normal call never shows this. */
export const STRAY_CALL_GRACE_MS = 4000;

/** The server's open call of the agent when the softphone holds no live call, else null. */
export function strayCall(self: AgentPresence | undefined, state: SoftphoneState): { id: string; to: string | null } | null {
  if (!self?.currentCallId || isCallLive(state.call)) return null;
  return { id: self.currentCallId, to: self.currentCallPhoneNumber };
}

export function StrayCallNotice({ api, self, state }: { api: PopupApi; self: AgentPresence | undefined; state: SoftphoneState }) {
  const stray = strayCall(self, state);
  const strayId = stray?.id ?? null;
  const [shownId, setShownId] = useState<string | null>(null);
  const [ending, setEnding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setError(null);
    if (!strayId) return setShownId(null);
    const timer = setTimeout(() => setShownId(strayId), STRAY_CALL_GRACE_MS);
    return () => clearTimeout(timer);
  }, [strayId]);
  if (!stray || shownId !== stray.id) return null;

  const end = async () => {
    setEnding(true);
    setError(null);
    const result = await api.endServerCall(stray.id);
    setEnding(false);
    if (!result.ok) setError(result.error);
  };
  return (
    <div className="notice notice-warning" role="alert">
      <p>
        The server still has your call{stray.to ? ` to ${stray.to}` : ''} open, but this browser is not on it.
      </p>
      <div className="actions">
        <button type="button" className="danger" disabled={ending} onClick={() => void end()}>
          {ending ? 'Ending the call…' : 'End that call'}
        </button>
      </div>
      {error && <p className="notice-error">{error}</p>}
    </div>
  );
}
