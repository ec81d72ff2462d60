// Recent calls: status, duration, contact, the page each was dialled from, redial, and older calls on request.
import type { Call } from '../../shared/api.js';
import { formatDuration, pageHost, statusWords } from './format.js';
import type { DialInput } from './popup-api.js';
import { CallExport } from './call-export.js';
import { HistoryWrapUp } from './history-wrap-up.js';
import type { WrapUpContext } from './wrap-up-api.js';

/** Where the history goes on past the calls shown. */
export interface OlderCalls {
  /** Another page of older calls exists. */
  more: boolean;
  /** At least one older page has been loaded, so a history without more is the whole of it. */
  paged: boolean;
  loading: boolean;
  error: string | null;
  onShowOlder: () => void;
}

export function CallHistory({ calls, older, disabled, onDial, wrapUps }: { calls: Call[] | null; older: OlderCalls; disabled: boolean; onDial: (input: DialInput) => void; wrapUps?: WrapUpContext }) {
  return (
    <section aria-labelledby="history">
      <h2 id="history">Recent calls</h2>
      <CallExport ctx={wrapUps} />
      {calls === null ? (
        <p className="muted">Loading history…</p>
      ) : calls.length === 0 ? (
        <p className="muted">No calls yet.</p>
      ) : (
        <ul className="rows" aria-label="Call history">
          {calls.map((call) => {
            const number = call.direction === 'outbound' ? call.toNumber : call.fromNumber;
            const who = call.contactName ?? number ?? 'Unknown number';
            return (
              <li key={call.id} className="row history-row" aria-label={`${who}, ${statusWords(call.status)}`}>
                <div>
                  <div>
                    <strong>{who}</strong> {call.contactName && number && <span className="muted">{number}</span>}
                  </div>
                  <div className="muted small">
                    <span className={`status status-${call.status}`}>{statusWords(call.status)}</span>
                    {call.duration !== null && <span> · {formatDuration(call.duration)}</span>}
                    <span> · {new Date(call.createdAt).toLocaleString()}</span>
                    {call.pageUrl && (
                      <span>
                        {' '}
                        · from{' '}
                        <a href={call.pageUrl} target="_blank" rel="noreferrer" title={call.pageUrl}>
                          {call.pageTitle || pageHost(call.pageUrl)}
                        </a>
                      </span>
                    )}
                  </div>
                  {call.errorMessage && <div className="small notice-error">{call.errorMessage}</div>}
                  <HistoryWrapUp call={call} ctx={wrapUps} />
                </div>
                {number && (
                  <button
                    type="button"
                    aria-label={`Redial ${who}`}
                    disabled={disabled}
                    onClick={() => onDial({ to: number, contactName: call.contactName ?? undefined, pageUrl: call.pageUrl ?? undefined, pageTitle: call.pageTitle ?? undefined })}
                  >
                    Redial
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {calls !== null && calls.length > 0 && <OlderCallsFooter older={older} />}
    </section>
  );
}

function OlderCallsFooter({ older }: { older: OlderCalls }) {
  return (
    <>
      {older.error && (
        <p role="alert" className="small notice-error">
          {older.error}
        </p>
      )}
      {older.more ? (
        <p>
          <button type="button" disabled={older.loading} onClick={older.onShowOlder}>
            {older.loading ? 'Loading older calls…' : 'Show older calls'}
          </button>
        </p>
      ) : (
        older.paged && <p className="muted small">That is all your calls.</p>
      )}
    </>
  );
}
