// Call history and teammates: loaded from /api/calls and /api/agents, then kept live through /api/events; older calls page by page.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AgentPresence, Call, CallsPage, LiveEvent } from '../../shared/api.js';
import type { CallErrorAction } from '../protocol/softphone.js';
import { BackendError } from '../lib/backend-client.js';
import type { PopupApi } from './popup-api.js';

/** The calls shown and where the history goes on. */
export interface CallList {
  calls: Call[] | null;
  /** The cursor of the next older page; null once the oldest call is shown (or before the first page). */
  nextCursor: string | null;
  /** Whether the agent has loaded at least one page beyond the first, so an ended history can be called complete. */
  pagedOlder: boolean;
}

export interface LiveData extends CallList {
  agents: AgentPresence[] | null;
  error: { message: string; action: CallErrorAction } | null;
  loadingOlder: boolean;
  /** Why the last "Show older calls" failed, as a sentence; the calls already shown stay. */
  olderError: string | null;
  loadOlderCalls: () => Promise<void>;
}

const RECONNECT_MS = 3000;
/** How long a restart may take before "can't reach the backend" is said instead. */
const RESTART_PATIENCE_MS = 60_000;
/** Offline is derived from time passing (no event says it): the teammates are asked again this often. */
const AGENTS_REFRESH_MS = 30_000;

/** The backend's order: newest first, the id breaking ties. */
function newestFirst(a: Call, b: Call): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id === b.id ? 0 : a.id < b.id ? 1 : -1;
}

/** Both lists' calls once each (the fresher copy wins), newest first. */
function mergeCalls(fresher: Call[], older: Call[]): Call[] {
  const seen = new Set(fresher.map((c) => c.id));
  return [...fresher, ...older.filter((c) => !seen.has(c.id))].sort(newestFirst);
}

export function applyLiveEvent<T extends { calls: Call[] | null; agents: AgentPresence[] | null; nextCursor?: string | null }>(data: T, event: LiveEvent): T {
  if (event.type === 'call') {
    const current = data.calls ?? [];
    const known = current.some((c) => c.id === event.call.id);
    const oldest = current.at(-1);
    // A call older than every shown one while more pages remain belongs to a page not loaded yet; it arrives with that page.
    if (!known && data.nextCursor && oldest && newestFirst(event.call, oldest) > 0) return data;
    return { ...data, calls: mergeCalls([event.call], current) };
  }
  const agents = data.agents ?? [];
  const known = agents.some((a) => a.id === event.agent.id);
  return { ...data, agents: known ? agents.map((a) => (a.id === event.agent.id ? event.agent : a)) : [...agents, event.agent] };
}

/** The first page, loaded again (after a reconnect), merged into what is shown without losing the older pages already loaded. */
export function mergeFirstPage(list: CallList, page: CallsPage): CallList {
  const shown = list.calls ?? [];
  const ids = new Set(page.calls.map((c) => c.id));
  const overlaps = shown.some((c) => ids.has(c.id));
  // With no call in common and more pages behind it, calls may be missing between the two: start from the fresh page instead of showing a gap.
  if (shown.length === 0 || (!overlaps && page.nextCursor !== null)) return { calls: page.calls, nextCursor: page.nextCursor, pagedOlder: false };
  // The shown calls now run unbroken from the fresh page down to the oldest loaded, so the cursor after that one still holds;
  // a fresh page without a cursor is the whole history.
  return { calls: mergeCalls(page.calls, shown), nextCursor: page.nextCursor === null ? null : list.nextCursor, pagedOlder: list.pagedOlder };
}

/** An older page added below the calls shown. */
export function appendOlderPage(list: CallList, page: CallsPage): CallList {
  return { calls: mergeCalls(list.calls ?? [], page.calls), nextCursor: page.nextCursor, pagedOlder: true };
}

function describe(error: unknown): LiveData['error'] {
  if (error instanceof BackendError) return { message: error.message, action: error.action };
  return { message: 'History could not be loaded; try again in a moment.', action: null };
}

function describeOlder(error: unknown): string {
  if (error instanceof BackendError) return `Older calls could not be loaded. ${error.message}`;
  return 'Older calls could not be loaded; try again in a moment.';
}

type State = Omit<LiveData, 'loadOlderCalls'>;

export function useLiveData(api: PopupApi, enabled: boolean): LiveData {
  const [data, setData] = useState<State>({ calls: null, nextCursor: null, pagedOlder: false, agents: null, error: null, loadingOlder: false, olderError: null });
  // A second click before React re-renders must not ask for the same page twice.
  const olderInFlight = useRef(false);
  const alive = useRef(true);
  /** When the backend said it was shutting down (null: it did not, or it is back). */
  const restartingSince = useRef<number | null>(null);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const [page, agents] = await Promise.all([api.fetchCalls(), api.fetchAgents()]);
        restartingSince.current = null;
        if (!abort.signal.aborted) setData((d) => ({ ...d, ...mergeFirstPage(d, page), agents, error: null }));
        return true;
      } catch (error) {
        // While the backend restarts (it said so as it closed), "can't reach" is expected: the restart's sentence stays.
        const keepRestarting = restartingSince.current !== null && Date.now() - restartingSince.current < RESTART_PATIENCE_MS;
        if (!abort.signal.aborted && !keepRestarting) setData((d) => ({ ...d, error: describe(error) }));
        return false;
      }
    };
    const follow = async () => {
      if (abort.signal.aborted) return;
      if (await load()) {
        try {
          await api.followLiveEvents((event) => setData((d) => applyLiveEvent(d, event)), abort.signal);
        } catch (error) {
          if (error instanceof BackendError && error.code === 'server-closing') restartingSince.current = Date.now();
          if (!abort.signal.aborted) setData((d) => ({ ...d, error: describe(error) }));
        }
      }
      if (!abort.signal.aborted) timer = setTimeout(() => void follow(), RECONNECT_MS);
    };
    void follow();
    const agentsTimer = setInterval(() => {
      api.fetchAgents().then(
        (agents) => !abort.signal.aborted && setData((d) => ({ ...d, agents })),
        () => undefined,
      );
    }, AGENTS_REFRESH_MS);
    return () => {
      abort.abort();
      clearTimeout(timer);
      clearInterval(agentsTimer);
    };
  }, [api, enabled]);

  const cursor = data.nextCursor;
  const loadOlderCalls = useCallback(async () => {
    if (cursor === null || olderInFlight.current) return;
    olderInFlight.current = true;
    setData((d) => ({ ...d, loadingOlder: true, olderError: null }));
    try {
      const page = await api.fetchCalls(cursor);
      // If a reconnect started the list again meanwhile, this page no longer joins it; the button asks afresh.
      if (alive.current) setData((d) => ({ ...d, ...(d.nextCursor === cursor ? appendOlderPage(d, page) : {}), loadingOlder: false }));
    } catch (error) {
      if (alive.current) setData((d) => ({ ...d, loadingOlder: false, olderError: describeOlder(error) }));
    } finally {
      olderInFlight.current = false;
    }
  }, [api, cursor]);

  return { ...data, loadOlderCalls };
}
