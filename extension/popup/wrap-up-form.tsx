// The wrap-up of the call that just ended, in the popup: the same offer as the call bar's (saved or left in either).
import { useEffect, useState } from 'react';
import type { WrapUpView } from '../../shared/messages.js';
import type { LiveCall } from '../../shared/softphone.js';
import type { WrapUpApi } from './wrap-up-api.js';
import { WrapUpFieldsForm } from './wrap-up-fields.js';

export function WrapUpForm({ api, call }: { api: WrapUpApi | undefined; call: LiveCall | null }) {
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
  if (!api || !offer) return null;
  if (offer.state === 'saved') {
    return (
      <p role="status" className="small wrap-up-saved">
        Wrap-up saved.
      </p>
    );
  }
  return (
    <section aria-labelledby="wrap-up-title" className="wrap-up">
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
