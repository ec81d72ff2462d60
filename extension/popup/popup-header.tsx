// The popup's compact header: who is signed in, their status (chosen), the softphone's state and mode, and Sign out.
import type { AgentPresence } from '../../shared/api.js';
import { isCallLive, type SoftphoneState } from '../protocol/softphone.js';
import type { PopupApi } from './popup-api.js';
import { PresencePicker } from './presence-picker.js';

function softphoneStatus(state: SoftphoneState): string {
  if (isCallLive(state.call)) return 'On a call';
  if (state.ready) return 'Ready to call';
  return state.mode === null ? 'Softphone starting…' : 'Softphone connecting…';
}

export function PopupHeader({
  api,
  name,
  state,
  self,
  onPresence,
  signOutExpanded,
  onSignOut,
}: {
  api: PopupApi;
  name: string;
  state: SoftphoneState;
  self: AgentPresence | null;
  onPresence: (agent: AgentPresence) => void;
  signOutExpanded: boolean;
  onSignOut: () => void;
}) {
  const busy = isCallLive(state.call);
  return (
    <header className="header">
      <div className="header-main">
        <div className="agent-name">{name}</div>
        <div className="muted small header-status">
          <span className={`dot ${busy ? 'dot-busy' : state.ready ? 'dot-ready' : 'dot-idle'}`} aria-hidden="true" />
          <span className="agent-status">{softphoneStatus(state)}</span>
          {state.mode === 'simulated' && <span className="mode" title="Calls are simulated: no real phone rings"> · simulated</span>}
        </div>
      </div>
      <PresencePicker api={api} self={self} onSaved={onPresence} />
      <button type="button" className="link" aria-expanded={signOutExpanded} onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}
