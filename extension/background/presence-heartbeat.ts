// Tells the backend the agent's extension is still running while no popup is open (the backend derives Offline from
// not seeing an agent for a while): one small authenticated request per session alarm.
import { backendUrlFor } from '../lib/backend-client.js';
import type { AuthInfo } from '../protocol/extension-messages.js';

export async function reportStillHere(auth: AuthInfo, fetcher: typeof fetch = fetch): Promise<void> {
  if (!auth.accessToken) return;
  await fetcher(backendUrlFor(auth.backendUrl, '/api/agents/me/seen'), { method: 'POST', headers: { authorization: `Bearer ${auth.accessToken}` } }).catch(() => undefined);
}
