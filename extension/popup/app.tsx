// The popup: sign-in when signed out; otherwise status, the live call, dialling, "On this page", history and teammates.
import { useEffect, useRef, useState } from 'react';
import type { Session } from '../../shared/api.js';
import { isCallLive, type CallErrorAction, type SoftphoneState } from '../../shared/softphone.js';
import { CallHistory } from './call-history.js';
import { DialForm } from './dial-form.js';
import { ErrorNotice } from './error-notice.js';
import { LiveCallPanel } from './live-call.js';
import { PageNumbersSection } from './page-numbers.js';
import type { DialInput, PopupApi } from './popup-api.js';
import { SignInForm } from './sign-in-form.js';
import { Teammates } from './teammates.js';
import { useLiveData } from './use-live-data.js';
import { useSession } from './use-session.js';
import { useSoftphoneState } from './use-softphone-state.js';
import { WrapUpForm } from './wrap-up-form.js';

export function App({ api, now }: { api: PopupApi; now?: () => number }) {
  const session = useSession(api);
  if (session === undefined) return <main className="popup" aria-busy="true" />;
  return <main className="popup">{session ? <SignedIn api={api} session={session} now={now} /> : <SignInForm api={api} />}</main>;
}

function agentStatus(state: SoftphoneState): string {
  if (isCallLive(state.call)) return 'On a call';
  if (state.ready) return 'Ready to call';
  return state.mode === null ? 'Softphone starting…' : 'Softphone connecting…';
}

function SignedIn({ api, session, now }: { api: PopupApi; session: Session; now?: () => number }) {
  const state = useSoftphoneState(api);
  const live = useLiveData(api, true);
  const [dialError, setDialError] = useState<{ message: string; action: CallErrorAction } | null>(null);
  const busy = isCallLive(state.call);
  const [confirmingSignOut, setConfirmingSignOut] = useState(false);
  // A refused dial's sentence goes as soon as a call starts, from here or from a page: errors never outlive a success.
  const liveCallId = busy ? state.call?.id : undefined;
  useEffect(() => {
    if (liveCallId) setDialError(null);
  }, [liveCallId]);
  /** The same sentence is shown once, whichever of the softphone, the call and the dial said it. */
  const shownElsewhere = (message: string) => message === state.deviceError?.message || message === state.call?.error?.message;

  const dial = async (input: DialInput) => {
    setDialError(null);
    const result = await api.dial(input);
    if (!result.ok) setDialError({ message: result.error, action: result.action });
  };

  return (
    <>
      <header className="header">
        <div>
          <div className="agent-name">{session.agent.displayName}</div>
          <div className="muted small">
            <span className={`dot ${busy ? 'dot-busy' : state.ready ? 'dot-ready' : 'dot-idle'}`} aria-hidden="true" />
            <span className="agent-status">{agentStatus(state)}</span>
            {state.mode === 'simulated' && <span> · simulated calls</span>}
          </div>
        </div>
        <button type="button" className="link" aria-expanded={confirmingSignOut} onClick={() => (busy ? setConfirmingSignOut(true) : void api.signOut())}>
          Sign out
        </button>
      </header>
      {confirmingSignOut && busy && state.call && (
        <SignOutDuringCall who={state.call.contactName ?? state.call.to} onConfirm={() => void api.signOut()} onCancel={() => setConfirmingSignOut(false)} />
      )}
      {state.deviceError && !busy && <ErrorNotice message={state.deviceError.message} action={state.deviceError.action} api={api} />}
      {state.call && <LiveCallPanel call={state.call} api={api} now={now} />}
      <WrapUpForm api={api.wrapUps} call={state.call} />
      <DialForm disabled={busy} onDial={(input) => void dial(input)} />
      {dialError && !shownElsewhere(dialError.message) && <ErrorNotice message={dialError.message} action={dialError.action} api={api} />}
      <PageNumbersSection api={api} disabled={busy} onDial={(input) => void dial(input)} />
      {live.error && <ErrorNotice message={live.error.message} action={live.error.action} api={api} />}
      <CallHistory
        calls={live.calls}
        older={{ more: live.nextCursor !== null, paged: live.pagedOlder, loading: live.loadingOlder, error: live.olderError, onShowOlder: () => void live.loadOlderCalls() }}
        disabled={busy}
        onDial={(input) => void dial(input)}
        wrapUps={api.wrapUps && { api: api.wrapUps, agentId: session.agent.id }}
      />
      <Teammates agents={live.agents} selfId={session.agent.id} />
    </>
  );
}

/** Signing out ends the call: asked first, since a misclick next to the agent's name would drop the customer. */
function SignOutDuringCall({ who, onConfirm, onCancel }: { who: string; onConfirm: () => void; onCancel: () => void }) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div className="notice" role="alertdialog" aria-labelledby="sign-out-question">
      <p id="sign-out-question">You are on a call with {who}. Hang up and sign out?</p>
      <div className="actions">
        <button type="button" ref={first} onClick={onCancel}>
          Stay on the call
        </button>
        <button type="button" className="danger" onClick={onConfirm}>
          Hang up and sign out
        </button>
      </div>
    </div>
  );
}
