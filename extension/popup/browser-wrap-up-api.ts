// The popup's WrapUpApi in the browser: messages to the service worker for the just-ended call, the backend for the rest.
import browser from 'webextension-polyfill';
import { agentsResponseSchema, callOutcomesResponseSchema, wrapUpResponseSchema } from '../../shared/api.js';
import { WRAP_UP_STORAGE_KEY } from '../protocol/extension-messages.js';
import { callWorker, commandWorker } from '../background/api.js';
import { BackendError, backendUrlFor, requestJson, unreachableMessage } from '../lib/backend-client.js';
import type { WrapUpApi } from './wrap-up-api.js';


async function signedInAuth() {
  const auth = await callWorker('c2c:sw:get-auth');
  if (!auth.accessToken) throw new BackendError('Sign in first.', 401, null, 'sign-in');
  return { backendUrl: auth.backendUrl, accessToken: auth.accessToken };
}

export const browserWrapUpApi: WrapUpApi = {
  async getOffer() {
    return callWorker('c2c:sw:wrap-up-offer').catch(() => null);
  },
  onOfferChange(listener) {
    const onChanged = (changes: Record<string, browser.Storage.StorageChange>, area: string) => {
      if (area === 'session' && WRAP_UP_STORAGE_KEY in changes) listener();
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => browser.storage.onChanged.removeListener(onChanged);
  },
  async saveOffer(fields) {
    return commandWorker('c2c:sw:wrap-up-save', { fields });
  },
  async skipOffer() {
    await commandWorker('c2c:sw:wrap-up-skip');
  },
  async reopenOffer() {
    await commandWorker('c2c:sw:wrap-up-reopen');
  },
  async fetchOutcomes() {
    const auth = await signedInAuth();
    return (await requestJson({ ...auth, token: auth.accessToken, path: '/api/wrapups/outcomes', schema: callOutcomesResponseSchema })).outcomes;
  },
  async saveWrapUp(callId, fields) {
    const auth = await signedInAuth();
    return (await requestJson({ ...auth, token: auth.accessToken, path: '/api/wrapups', body: { callId, ...fields }, schema: wrapUpResponseSchema })).call;
  },
  async listAgents() {
    const auth = await signedInAuth();
    return (await requestJson({ ...auth, token: auth.accessToken, path: '/api/agents', schema: agentsResponseSchema })).agents;
  },
  async exportCalls(filter) {
    const auth = await signedInAuth();
    const query = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
    let response: Response;
    try {
      response = await fetch(backendUrlFor(auth.backendUrl, `/api/calls/export?${query.toString()}`), { headers: { authorization: `Bearer ${auth.accessToken}` } });
    } catch {
      throw new BackendError(unreachableMessage(auth.backendUrl), null, null, 'check-backend');
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
      throw new BackendError(body?.error?.message ?? 'The export failed; try again.', response.status, null, null);
    }
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'calls.csv';
    const url = URL.createObjectURL(await response.blob());
    const link = Object.assign(document.createElement('a'), { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  },
};
