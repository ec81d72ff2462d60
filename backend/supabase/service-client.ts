// The backend's supabase-js client: the service-role key, no browser session, and a time limit on every request.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';

const SUPABASE_REQUEST_TIMEOUT_MS = 10_000;

/** fetch with a deadline, so a stalled Supabase request fails instead of holding a webhook open. */
function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    return fetch(input, { ...init, signal });
  };
}

/**
 * The backend never opens Supabase Realtime (live updates go through LiveEvents), but supabase-js builds its Realtime
 * client eagerly and, on Node 20, finds no WebSocket. This transport satisfies it and refuses to be used.
 */
class NoRealtimeTransport {
  constructor() {
    throw new Error('Supabase Realtime is not used by the backend.');
  }
}

export function createServiceClient(url: string, serviceRoleKey: string, timeoutMs = SUPABASE_REQUEST_TIMEOUT_MS): SupabaseClient {
  return createClient(url, serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { fetch: fetchWithTimeout(timeoutMs) },
    realtime: { transport: NoRealtimeTransport as unknown as NonNullable<NonNullable<Parameters<typeof createClient>[2]>['realtime']>['transport'] },
  });
}
