// @vitest-environment jsdom
// The popup's history over time: older pages, live events and the live stream reconnecting, as the hook keeps them.
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Call, CallsPage, LiveEvent } from '../../shared/api.js';
import { INITIAL_SOFTPHONE_STATE } from '../protocol/softphone.js';
import type { PopupApi } from './popup-api.js';
import { appendOlderPage, applyLiveEvent, mergeFirstPage, useLiveData } from './use-live-data.js';

/** Call n, n minutes before noon (a higher n is older). */
function call(n: number, patch: Partial<Call> = {}): Call {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    direction: 'outbound',
    status: 'completed',
    fromNumber: 'client:agent',
    toNumber: `+1415555${String(n).padStart(4, '0')}`,
    contactName: `Contact ${n}`,
    assignedTo: null,
    agentName: null,
    twilioCallSid: null,
    dialCallSid: null,
    pageUrl: null,
    pageTitle: null,
    createdAt: new Date(Date.parse('2026-11-24T12:00:00.000Z') - n * 60_000).toISOString(),
    answeredAt: null,
    endedAt: null,
    duration: 30,
    errorCode: null,
    errorMessage: null,
    ...patch,
  };
}

const names = (calls: Call[] | null) => calls?.map((c) => c.contactName) ?? null;

/** A PopupApi whose history answers come from `answer`, and whose live stream the test ends or feeds. */
function fakeApi(answer: (cursor: string | undefined) => Promise<CallsPage>) {
  const streams: { onEvent: (event: LiveEvent) => void; end: () => void }[] = [];
  const unused = async () => {
    throw new Error('not used by useLiveData');
  };
  const api: PopupApi = {
    readSession: async () => null,
    onSessionChange: () => () => undefined,
    signIn: unused,
    signOut: unused,
    endServerCall: unused,
    getAuth: unused,
    getState: async () => INITIAL_SOFTPHONE_STATE,
    onState: () => () => undefined,
    dial: unused,
    hangup: unused,
    setMuted: unused,
    sendDigits: unused,
    listPageNumbers: unused,
    fetchCalls: vi.fn(answer),
    fetchAgents: async () => [],
    followLiveEvents: (onEvent, signal) =>
      new Promise((resolve) => {
        streams.push({ onEvent, end: resolve });
        signal.addEventListener('abort', () => resolve());
      }),
    openPermissionPage: unused,
    openOptions: unused,
  };
  return {
    api,
    emitLive: (event: LiveEvent) => act(() => streams.at(-1)?.onEvent(event)),
    endStream: () => streams.at(-1)?.end(),
    streamCount: () => streams.length,
  };
}

/** Lets pending promises and React updates settle (fake timers: advances no time). */
const settle = () => act(() => vi.advanceTimersByTimeAsync(0));

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('useLiveData', () => {
  it('keeps the older pages the agent loaded when the live stream reconnects and reloads the newest calls', async () => {
    vi.useFakeTimers();
    let first: CallsPage = { calls: [call(1), call(2)], nextCursor: 'after-2' };
    const pages: Record<string, CallsPage> = { 'after-2': { calls: [call(3), call(4)], nextCursor: 'after-4' } };
    const f = fakeApi(async (cursor) => (cursor === undefined ? first : pages[cursor]!));
    const { result } = renderHook(() => useLiveData(f.api, true));
    await settle();
    expect(names(result.current.calls)).toEqual(['Contact 1', 'Contact 2']);

    await act(() => result.current.loadOlderCalls());
    expect(names(result.current.calls)).toEqual(['Contact 1', 'Contact 2', 'Contact 3', 'Contact 4']);

    // While the stream is down, a new call is made and call 1 ends differently than last shown.
    first = { calls: [call(0), call(1, { status: 'failed' })], nextCursor: 'after-1' };
    f.endStream();
    await act(() => vi.advanceTimersByTimeAsync(3000));
    expect(f.streamCount()).toBe(2);
    expect(names(result.current.calls)).toEqual(['Contact 0', 'Contact 1', 'Contact 2', 'Contact 3', 'Contact 4']);
    expect(result.current.calls?.[1]?.status).toBe('failed');
    // The next page still follows the oldest call loaded, not the reloaded first page.
    expect(result.current.nextCursor).toBe('after-4');
  });

  it('asks for an older page once however often it is asked before the answer', async () => {
    vi.useFakeTimers();
    let answerOlder: (page: CallsPage) => void = () => undefined;
    const f = fakeApi((cursor) => (cursor === undefined ? Promise.resolve({ calls: [call(1)], nextCursor: 'after-1' }) : new Promise((resolve) => (answerOlder = resolve))));
    const { result } = renderHook(() => useLiveData(f.api, true));
    await settle();
    const load = result.current.loadOlderCalls;
    let pending: Promise<void> = Promise.resolve();
    act(() => {
      pending = load();
      void load();
    });
    expect(result.current.loadingOlder).toBe(true);
    expect(f.api.fetchCalls).toHaveBeenCalledTimes(2);
    await act(async () => {
      answerOlder({ calls: [call(2)], nextCursor: null });
      await pending;
    });
    expect(result.current.loadingOlder).toBe(false);
    expect(result.current.pagedOlder).toBe(true);
    expect(names(result.current.calls)).toEqual(['Contact 1', 'Contact 2']);
  });

  it('drops an older page that no longer joins the list because a reconnect started it again', async () => {
    vi.useFakeTimers();
    let first: CallsPage = { calls: [call(10)], nextCursor: 'after-10' };
    let answerOlder: (page: CallsPage) => void = () => undefined;
    const f = fakeApi((cursor) => (cursor === undefined ? Promise.resolve(first) : new Promise((resolve) => (answerOlder = resolve))));
    const { result } = renderHook(() => useLiveData(f.api, true));
    await settle();
    let pending: Promise<void> = Promise.resolve();
    act(() => {
      pending = result.current.loadOlderCalls();
    });
    // Many calls were made while the stream was down: the fresh first page shares none with the list.
    first = { calls: [call(1), call(2)], nextCursor: 'after-2' };
    f.endStream();
    await act(() => vi.advanceTimersByTimeAsync(3000));
    expect(names(result.current.calls)).toEqual(['Contact 1', 'Contact 2']);
    await act(async () => {
      answerOlder({ calls: [call(11)], nextCursor: null });
      await pending;
    });
    expect(names(result.current.calls)).toEqual(['Contact 1', 'Contact 2']);
    expect(result.current.nextCursor).toBe('after-2');
    expect(result.current.loadingOlder).toBe(false);
  });

  it('keeps the calls shown and the cursor when an older page fails, with the reason as a sentence', async () => {
    vi.useFakeTimers();
    const f = fakeApi(async (cursor) => {
      if (cursor === undefined) return { calls: [call(1)], nextCursor: 'after-1' };
      throw new TypeError('Failed to fetch');
    });
    const { result } = renderHook(() => useLiveData(f.api, true));
    await settle();
    await act(() => result.current.loadOlderCalls());
    expect(result.current.olderError).toBe('Older calls could not be loaded; try again in a moment.');
    expect(names(result.current.calls)).toEqual(['Contact 1']);
    expect(result.current.nextCursor).toBe('after-1');
    expect(result.current.loadingOlder).toBe(false);
    // The live stream's own error is for the first load; an older page failing leaves it alone.
    expect(result.current.error).toBeNull();
  });
});

describe('call history pages', () => {
  it('adds an older page below the calls shown, newest first, each call once', () => {
    const list = appendOlderPage({ calls: [call(1), call(2)], nextCursor: 'after-2', pagedOlder: false }, { calls: [call(2), call(4), call(3)], nextCursor: null });
    expect(names(list.calls)).toEqual(['Contact 1', 'Contact 2', 'Contact 3', 'Contact 4']);
    expect(list).toMatchObject({ nextCursor: null, pagedOlder: true });
  });

  it('starts again from a reloaded first page that shares no call with the list, rather than show a gap', () => {
    const list = mergeFirstPage({ calls: [call(30), call(31)], nextCursor: null, pagedOlder: true }, { calls: [call(1), call(2)], nextCursor: 'after-2' });
    expect(list).toEqual({ calls: [call(1), call(2)], nextCursor: 'after-2', pagedOlder: false });
  });

  it('takes a reloaded first page without a cursor as the whole history', () => {
    const list = mergeFirstPage({ calls: [call(1), call(2)], nextCursor: 'after-2', pagedOlder: false }, { calls: [call(0), call(1), call(2)], nextCursor: null });
    expect(names(list.calls)).toEqual(['Contact 0', 'Contact 1', 'Contact 2']);
    expect(list.nextCursor).toBeNull();
  });

  it('leaves a live call older than every shown one to the page it belongs to while more pages remain', () => {
    const data = { calls: [call(1), call(2)], agents: [], nextCursor: 'after-2' };
    expect(names(applyLiveEvent(data, { type: 'call', call: call(9) }).calls)).toEqual(['Contact 1', 'Contact 2']);
    expect(names(applyLiveEvent({ ...data, nextCursor: null }, { type: 'call', call: call(9) }).calls)).toEqual(['Contact 1', 'Contact 2', 'Contact 9']);
    // A shown call is updated wherever it sits.
    expect(applyLiveEvent(data, { type: 'call', call: call(2, { status: 'failed' }) }).calls?.[1]?.status).toBe('failed');
  });
});
