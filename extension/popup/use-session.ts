// The signed-in session as React state: undefined while loading, null when signed out.
import { useEffect, useState } from 'react';
import type { Session } from '../../shared/api.js';
import type { PopupApi } from './popup-api.js';

export function useSession(api: PopupApi): Session | null | undefined {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  useEffect(() => {
    let alive = true;
    const stop = api.onSessionChange((next) => setSession(next));
    api.readSession().then(
      (stored) => alive && setSession((current) => (current === undefined ? stored : current)),
      () => alive && setSession(null),
    );
    return () => {
      alive = false;
      stop();
    };
  }, [api]);
  return session;
}
