// Call history and teammates: loaded from /api/calls and /api/agents, then kept live through /api/events.
import { useEffect, useState } from 'react';
import type { AgentPresence, Call, LiveEvent } from '../../shared/api.js';
import type { CallErrorAction } from '../../shared/softphone.js';
import { BackendError } from '../lib/backend-client.js';
import type { PopupApi } from './popup-api.js';

export interface LiveData {
  calls: Call[] | null;
  agents: AgentPresence[] | null;
  error: { message: string; action: CallErrorAction } | null;
}

const RECONNECT_MS = 3000;

export function applyLiveEvent(data: { calls: Call[] | null; agents: AgentPresence[] | null }, event: LiveEvent) {
  if (event.type === 'call') {
    const others = (data.calls ?? []).filter((c) => c.id !== event.call.id);
    const calls = [event.call, ...others].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return { ...data, calls };
  }
  const agents = data.agents ?? [];
  const known = agents.some((a) => a.id === event.agent.id);
  return { ...data, agents: known ? agents.map((a) => (a.id === event.agent.id ? event.agent : a)) : [...agents, event.agent] };
}

function describe(error: unknown): LiveData['error'] {
  if (error instanceof BackendError) return { message: error.message, action: error.action };
  return { message: 'History could not be loaded; try again in a moment.', action: null };
}

export function useLiveData(api: PopupApi, enabled: boolean): LiveData {
  const [data, setData] = useState<LiveData>({ calls: null, agents: null, error: null });
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const [calls, agents] = await Promise.all([api.fetchCalls(), api.fetchAgents()]);
        if (!abort.signal.aborted) setData({ calls, agents, error: null });
        return true;
      } catch (error) {
        if (!abort.signal.aborted) setData((d) => ({ ...d, error: describe(error) }));
        return false;
      }
    };
    const follow = async () => {
      if (abort.signal.aborted) return;
      if (await load()) {
        try {
          await api.followLiveEvents((event) => setData((d) => ({ ...d, ...applyLiveEvent(d, event) })), abort.signal);
        } catch (error) {
          if (!abort.signal.aborted) setData((d) => ({ ...d, error: describe(error) }));
        }
      }
      if (!abort.signal.aborted) timer = setTimeout(() => void follow(), RECONNECT_MS);
    };
    void follow();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [api, enabled]);
  return data;
}
