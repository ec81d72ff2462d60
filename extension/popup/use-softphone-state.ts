// The softphone's state as React state: read once from the service worker, then followed through its broadcasts.
import { useEffect, useState } from 'react';
import { INITIAL_SOFTPHONE_STATE, type SoftphoneState } from '../protocol/softphone.js';
import type { PopupApi } from './popup-api.js';

export function useSoftphoneState(api: PopupApi): SoftphoneState {
  const [state, setState] = useState<SoftphoneState>(INITIAL_SOFTPHONE_STATE);
  useEffect(() => {
    let alive = true;
    let heard = false;
    const stop = api.onState((next) => {
      heard = true;
      setState(next);
    });
    api.getState().then(
      (current) => {
        if (alive && !heard) setState(current);
      },
      () => undefined,
    );
    return () => {
      alive = false;
      stop();
    };
  }, [api]);
  return state;
}
