// The wrap-up of the call that just ended, in the popup: the same offer as the call bar's (saved or left in either).
import { useEffect, useRef, useState } from 'react';
import type { WrapUpView } from '../protocol/messages.js';
import type { LiveCall } from '../protocol/softphone.js';
import type { WrapUpApi } from './wrap-up-api.js';
import { WrapUpFieldsForm } from './wrap-up-fields.js';

/** The offer for the softphone's call once it has ended, kept current as the bar or the popup saves or leaves it. */
export function useWrapUpOffer(api: WrapUpApi | undefined, call: LiveCall | null): WrapUpView | null {
  const [offer, setOffer] = useState<WrapUpView | null>(null);
  const ended = call?.phase === 'ended' ? call.callSid : null;
  useEffect(() => {
    if (!api || !ended) {
      setOffer(null);
      return;
    }
    let live = true;
    const load = () => void api.getOffer().then((o) => live && setOffer(o));
    load();
    const stop = api.onOfferChange(load);
    return () => {
      live = false;
      stop();
    };
  }, [api, ended]);
  return api && ended ? offer : null;
}

/** Loads the offer itself (for use on its own); the popup passes the one it also checks Call next against. */
export function WrapUpForm({ api, call }: { api: WrapUpApi | undefined; call: LiveCall | null }) {
  return <WrapUpOfferForm api={api} call={call} offer={useWrapUpOffer(api, call)} />;
}

/**
 * `focusRequest` changing (Call next waiting for this wrap-up) brings the form into view with focus on its outcome,
 * now or as soon as the offer shows.
 */
export function WrapUpOfferForm({ api, call, offer, focusRequest = 0 }: { api: WrapUpApi | undefined; call: LiveCall | null; offer: WrapUpView | null; focusRequest?: number }) {
  const section = useRef<HTMLElement>(null);
  /** The last request answered: a later call's offer showing up does not take the focus by itself. */
  const answered = useRef(0);
  const shown = Boolean(api && offer && offer.state !== 'saved');
  useEffect(() => {
    if (focusRequest <= answered.current || !shown) return;
    answered.current = focusRequest;
    section.current?.scrollIntoView?.({ block: 'nearest' });
    section.current?.querySelector<HTMLElement>('select, textarea, input, button')?.focus();
  }, [focusRequest, shown]);
  if (!api || !offer) return null;
  if (offer.state === 'saved') {
    return (
      <p role="status" className="small wrap-up-saved">
        Wrap-up saved.
      </p>
    );
  }
  const ended = call?.phase === 'ended' ? call.callSid : null;
  return (
    <section aria-labelledby="wrap-up-title" className="wrap-up" ref={section}>
      <h2 id="wrap-up-title">Wrap up this call</h2>
      <WrapUpFieldsForm
        key={ended}
        label="Wrap-up of the call that just ended"
        outcomes={offer.outcomes}
        initial={{ outcomeId: offer.selected, notes: '', followUpOn: null }}
        saving={offer.state === 'saving'}
        error={offer.state === 'failed' ? offer.error : null}
        leaveLabel="Skip"
        onSave={(fields) => void api.saveOffer(fields)}
        onLeave={() => void api.skipOffer()}
      />
    </section>
  );
}
