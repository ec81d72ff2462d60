// "On this page" as a call list: every frame's numbers with the name the chip would send, search, and Call next, which
// goes through the page's numbers one after another, each only when the agent asks and no call is live. It follows the
// page as it changes. When the organization requires a wrap-up, the next number waits until the last call's is saved.
import { useEffect, useMemo, useState } from 'react';
import { formatPhone } from './format.js';
import { policyFromWire } from '../protocol/messages.js';
import { checkDestination, notCallableSentence, type DestinationPolicy } from '../../shared/phone/destination-policy.js';
import { toE164 } from '../../shared/phone/normalize.js';
import type { DialInput, PageNumber, PageNumbers, PopupApi } from './popup-api.js';

/** How often the list is asked again while the popup is open (the page may add or drop numbers). */
const REFRESH_MS = 2000;

/** Where Call next's place on each page is kept, so closing the popup (it closes whenever the page is clicked) loses nothing. */
const PROGRESS_KEY = 'c2c:call-next';
const MAX_PAGES_KEPT = 20;
type Progress = Record<string, { last: string | null; called: string[]; at: number }>;

function readProgress(): Progress {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(PROGRESS_KEY) ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Progress) : {};
  } catch {
    return {};
  }
}

function saveProgress(pageUrl: string, last: string | null, called: Set<string>): void {
  try {
    const all = readProgress();
    all[pageUrl] = { last, called: [...called].slice(-500), at: Date.now() };
    const kept = Object.entries(all).sort((a, b) => b[1].at - a[1].at).slice(0, MAX_PAGES_KEPT);
    localStorage.setItem(PROGRESS_KEY, JSON.stringify(Object.fromEntries(kept)));
  } catch {
    // Storage full or unavailable: Call next still works while the popup stays open.
  }
}

const keyOf = (n: PageNumber) => `${n.frame ?? ''}|${n.e164}|${n.extension ?? ''}`;

function usePageNumbers(api: PopupApi): PageNumbers | null {
  const [page, setPage] = useState<PageNumbers | null>(null);
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () =>
      api.listPageNumbers().then(
        (p) => alive && setPage(p),
        () => alive && setPage((old) => old ?? { numbers: [] }),
      ).finally(() => {
        if (alive) timer = setTimeout(() => void load(), REFRESH_MS);
      });
    void load();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [api]);
  return page;
}

/** The organization's destination policy, asked of the worker once per popup (null: every number is offered). */
function useNumberPolicy(api: PopupApi): DestinationPolicy | null {
  const [policy, setPolicy] = useState<DestinationPolicy | null>(null);
  useEffect(() => {
    let alive = true;
    api.numberPolicy?.().then(
      (wire) => alive && wire && setPolicy(policyFromWire(wire)),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [api]);
  return policy;
}

/** Why the organization may not call this number, or null (no policy yet: the backend still checks every call). */
function whyNotCallable(e164: string, policy: DestinationPolicy | null): string | null {
  if (!policy) return null;
  const parsed = toE164(e164);
  return parsed.ok ? notCallableSentence(checkDestination(parsed, policy)) : null;
}

function matchesQuery(n: PageNumber, formatted: string, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return true;
  const digits = q.replace(/\D/g, '');
  if (digits.length >= 2 && (n.e164.includes(digits) || formatted.replace(/\D/g, '').includes(digits))) return true;
  return [n.contactName ?? '', formatted, n.text, n.frame ?? ''].some((s) => s.toLowerCase().includes(q));
}

/** What became of a dial from the list: placed, refused (the popup says why), or held for the last call's required wrap-up. */
export type ListDialResult = 'dialled' | 'refused' | 'wrap-up-first';

export interface PageCallListProps {
  api: PopupApi;
  busy: boolean;
  country: string;
  onDial: (input: DialInput) => Promise<ListDialResult>;
  /** The last call's wrap-up is required and not saved yet: no number is dialled until it is. */
  wrapUpPending?: boolean;
  /** Takes the agent to that wrap-up (brought back if it was left). */
  onWrapUpFirst?: () => void;
}

export function PageCallList({ api, busy, country, onDial, wrapUpPending = false, onWrapUpFirst }: PageCallListProps) {
  const page = usePageNumbers(api);
  const policy = useNumberPolicy(api);
  const [query, setQuery] = useState('');
  /** Who waits to be dialled until the wrap-up is saved, and whether Call next or the row's Call asked. */
  const [heldFor, setHeldFor] = useState<{ who: string; next: boolean } | null>(null);
  useEffect(() => {
    if (!wrapUpPending) setHeldFor(null);
  }, [wrapUpPending]);
  const [lastKey, setLastKey] = useState<string | null>(null);
  const [called, setCalled] = useState<Set<string>>(() => new Set());
  const pageUrl = page?.pageUrl;
  // The place in the list comes back when the popup is opened again on the same page.
  useEffect(() => {
    if (!pageUrl) return;
    const saved = readProgress()[pageUrl];
    if (saved) {
      setLastKey(typeof saved.last === 'string' ? saved.last : null);
      setCalled(new Set(Array.isArray(saved.called) ? saved.called.filter((k) => typeof k === 'string') : []));
    }
  }, [pageUrl]);
  const rows = useMemo(
    () =>
      (page?.numbers ?? [])
        .map((n) => ({ n, key: keyOf(n), formatted: formatPhone(n.e164, n.extension, country), refusal: whyNotCallable(n.e164, policy) }))
        .filter((r) => matchesQuery(r.n, r.formatted, query)),
    [page, query, country, policy],
  );
  const lastIndex = lastKey === null ? -1 : rows.findIndex((r) => r.key === lastKey);
  // After the last one called, the next not called yet and callable; from the top when none was.
  const next = rows.slice(lastIndex + 1).find((r) => !called.has(r.key) && !r.refusal) ?? null;

  const holdFor = (row: (typeof rows)[number], viaNext: boolean) => {
    setHeldFor({ who: row.n.contactName ?? row.formatted, next: viaNext });
    onWrapUpFirst?.();
  };
  const call = (row: (typeof rows)[number], viaNext = false) => {
    if (wrapUpPending) return holdFor(row, viaNext);
    setHeldFor(null);
    const before = { lastKey, called };
    const nowCalled = new Set(called).add(row.key);
    setLastKey(row.key);
    setCalled(nowCalled);
    if (pageUrl) saveProgress(pageUrl, row.key, nowCalled);
    // Kept as called at once (the popup may close any moment); given back if the dial did not go.
    const undo = () => {
      setLastKey(before.lastKey);
      setCalled(before.called);
      if (pageUrl) saveProgress(pageUrl, before.lastKey, before.called);
    };
    void onDial({
      to: row.n.e164,
      ...(row.n.extension ? { extension: row.n.extension } : {}),
      ...(row.n.contactName ? { contactName: row.n.contactName } : {}),
      pageUrl: page?.pageUrl,
      pageTitle: page?.pageTitle,
    }).then((result) => {
      if (result === 'dialled') return;
      undo();
      if (result === 'wrap-up-first') holdFor(row, viaNext);
    });
  };

  if (page === null) return <p className="muted">Looking for numbers…</p>;
  if (page.numbers.length === 0) return <p className="muted">No phone numbers found on this page.</p>;
  return (
    <>
      <div className="list-tools">
        <label className="inline-label grow">
          <span className="visually-hidden">Search numbers on this page</span>
          <input type="search" aria-label="Search numbers on this page" placeholder="Search name or number" value={query} onChange={(e) => setQuery(e.target.value)} />
        </label>
        {next && (
          <button type="button" className="primary" disabled={busy} aria-label={`Call next: ${next.n.contactName ?? next.formatted}`} onClick={() => call(next, true)}>
            Call next
          </button>
        )}
      </div>
      {heldFor && (
        <p role="status" className="small notice-error">
          {heldFor.next
            ? `Save the wrap-up of your last call first: Call next dials ${heldFor.who} once it is saved.`
            : `Save the wrap-up of your last call first, then call ${heldFor.who}.`}
        </p>
      )}
      {next && (
        <p className="small muted next-line" aria-live="polite">
          Next: {next.n.contactName ? `${next.n.contactName}, ` : ''}
          {next.formatted}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="muted">No number on this page matches “{query}”.</p>
      ) : (
        <ul className="rows" aria-label="Numbers on this page">
          {rows.map((row) => (
            <li key={row.key} className={`row${row.key === lastKey ? ' row-current' : ''}${row.refusal ? ' row-refused' : ''}`}>
              <div className="row-text">
                <div className="ellipsis">{row.n.contactName ?? <span className="muted">No name</span>}</div>
                <div className="small">
                  {row.formatted}
                  {row.n.frame && <span className="muted"> · in {row.n.frame}</span>}
                  {called.has(row.key) && <span className="muted"> · called</span>}
                </div>
                {row.refusal && <div className="small muted not-callable">{row.refusal}</div>}
              </div>
              {row.refusal ? (
                <span className="small muted" aria-hidden="true">
                  Not callable
                </span>
              ) : (
                <button type="button" aria-label={`Call ${row.formatted}${row.n.contactName ? `, ${row.n.contactName}` : ''}`} disabled={busy} onClick={() => call(row)}>
                  Call
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
