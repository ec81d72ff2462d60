// The popup: sign-in when signed out; otherwise a compact header, the live call on top, dialling, then This page,
// History and Team as sections. A thin composition: each part is its own component (more are mounted with one line).
import { useEffect, useRef, useState } from 'react';
import { WRAP_UP_REQUIRED_MESSAGE, type AgentPresence, type Session } from '../../shared/api.js';
import { isCallLive, type CallErrorAction } from '../protocol/softphone.js';
import { CallHistory } from './call-history.js';
import { DialForm } from './dial-form.js';
import { ErrorNotice } from './error-notice.js';
import { LiveCallPanel } from './live-call.js';
import { IncomingCallPanel } from './incoming-call.js';
import { CallFromPicker } from './call-from-picker.js';
import { PageCallList, type ListDialResult } from './page-call-list.js';
import type { DialInput, PopupApi } from './popup-api.js';
import { PopupHeader } from './popup-header.js';
import { PopupSection } from './popup-section.js';
import { SignInForm } from './sign-in-form.js';
import { StrayCallNotice } from './stray-call.js';
import { Teammates } from './teammates.js';
import { useDefaultCountry } from './use-default-country.js';
import { useLiveData } from './use-live-data.js';
import { useSession } from './use-session.js';
import { useSoftphoneState } from './use-softphone-state.js';
import { useWrapUpOffer, WrapUpOfferForm } from './wrap-up-form.js';

export function App({ api, now }: { api: PopupApi; now?: () => number }) {
  const session = useSession(api);
  if (session === undefined) return <main className="popup" aria-busy="true" />;
  return <main className="popup">{session ? <SignedIn api={api} session={session} now={now} /> : <SignInForm api={api} />}</main>;
}

function SignedIn({ api, session, now }: { api: PopupApi; session: Session; now?: () => number }) {
  const state = useSoftphoneState(api);
  const live = useLiveData(api, true);
  const country = useDefaultCountry(api);
  const [dialError, setDialError] = useState<{ message: string; action: CallErrorAction } | null>(null);
  const busy = isCallLive(state.call);
  const [confirmingSignOut, setConfirmingSignOut] = useState(false);
  const [ownPresence, setOwnPresence] = useState<AgentPresence | null>(null);
  const numberField = useRef<HTMLInputElement>(null);
  const signOutButton = useRef<HTMLDivElement>(null);
  // A refused dial's sentence goes as soon as a call starts, from here or from a page: errors never outlive a success.
  const liveCallId = busy ? state.call?.id : undefined;
  useEffect(() => {
    if (liveCallId) setDialError(null);
  }, [liveCallId]);
  // The call's controls go when it ends: focus that was on them comes back to the number field, not to the page's body.
  const phase = state.call?.phase;
  useEffect(() => {
    if (phase === 'ended' && (document.activeElement === document.body || document.activeElement === null)) numberField.current?.focus();
  }, [phase]);
  /** The same sentence is shown once, whichever of the softphone, the call and the dial said it. */
  const shownElsewhere = (message: string) => message === state.deviceError?.message || message === state.call?.error?.message;
  // What the agent just chose shows at once; the live stream's copy takes over as soon as it arrives.
  useEffect(() => setOwnPresence(null), [live.agents]);
  const self = ownPresence ?? live.agents?.find((a) => a.id === session.agent.id) ?? null;
  const wrapUpOffer = useWrapUpOffer(api.wrapUps, state.call);
  const wrapUpPending = Boolean(wrapUpOffer?.required && wrapUpOffer.state !== 'saved');
  const [wrapUpFocus, setWrapUpFocus] = useState(0);
  /** Call next waits for a required wrap-up: the form comes back if it was left, with focus on it. */
  const toWrapUp = () => {
    void api.wrapUps?.reopenOffer();
    setWrapUpFocus((n) => n + 1);
  };

  const dial = async (input: DialInput) => {
    setDialError(null);
    const result = await api.dial(input);
    if (!result.ok) setDialError({ message: result.error, action: result.action });
    return result;
  };
  /** From the page's list: the worker's "wrap up first" is the list's to say (it keeps its place and shows the form). */
  const dialFromList = async (input: DialInput): Promise<ListDialResult> => {
    setDialError(null);
    const result = await api.dial(input);
    if (result.ok) return 'dialled';
    if (result.error === WRAP_UP_REQUIRED_MESSAGE && api.wrapUps) return 'wrap-up-first';
    setDialError({ message: result.error, action: result.action });
    return 'refused';
  };
  const closeSignOut = () => {
    setConfirmingSignOut(false);
    signOutButton.current?.querySelector('button')?.focus();
  };

  return (
    <>
      <div ref={signOutButton}>
        <PopupHeader
          api={api}
          name={session.agent.displayName}
          state={state}
          self={self}
          onPresence={(agent) => setOwnPresence(agent)}
          signOutExpanded={confirmingSignOut}
          onSignOut={() => (busy ? setConfirmingSignOut(true) : void api.signOut())}
        />
      </div>
      {confirmingSignOut && busy && state.call && (
        <SignOutDuringCall who={state.call.contactName ?? state.call.to} onConfirm={() => void api.signOut()} onCancel={closeSignOut} />
      )}
      {state.deviceError && !busy && <ErrorNotice message={state.deviceError.message} action={state.deviceError.action} api={api} />}
      <IncomingCallPanel state={state} api={api} />
      {state.call && <LiveCallPanel call={state.call} api={api} now={now} country={country} />}
      <WrapUpOfferForm api={api.wrapUps} call={state.call} offer={wrapUpOffer} focusRequest={wrapUpFocus} />
      <StrayCallNotice api={api} self={live.agents?.find((a) => a.id === session.agent.id)} state={state} />
      <DialForm disabled={busy} onDial={(input) => void dial(input)} inputRef={numberField} />
      <CallFromPicker api={api} disabled={busy} />
      {dialError && !shownElsewhere(dialError.message) && <ErrorNotice message={dialError.message} action={dialError.action} api={api} />}
      <PopupSection title="On this page">
        <PageCallList api={api} busy={busy} country={country} onDial={dialFromList} wrapUpPending={wrapUpPending} onWrapUpFirst={toWrapUp} />
      </PopupSection>
      {live.error && <ErrorNotice message={live.error.message} action={live.error.action} api={api} />}
      <PopupSection title="History">
        <CallHistory
          calls={live.calls}
          older={{ more: live.nextCursor !== null, paged: live.pagedOlder, loading: live.loadingOlder, error: live.olderError, onShowOlder: () => void live.loadOlderCalls() }}
          disabled={busy}
          onDial={(input) => void dial(input)}
          selfId={session.agent.id}
          country={country}
          now={now}
          fetchRecording={api.fetchRecording?.bind(api)}
          wrapUps={api.wrapUps && { api: api.wrapUps, agentId: session.agent.id }}
        />
      </PopupSection>
      <PopupSection title="Team">
        <Teammates agents={live.agents} selfId={session.agent.id} country={country} />
      </PopupSection>
    </>
  );
}

/** Signing out ends the call: asked first, since a misclick next to the agent's name would drop the customer. */
function SignOutDuringCall({ who, onConfirm, onCancel }: { who: string; onConfirm: () => void; onCancel: () => void }) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div
      className="notice"
      role="alertdialog"
      aria-labelledby="sign-out-question"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
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
