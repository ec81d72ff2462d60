// Recent calls: status, duration, contact, the page each was dialled from, and redial.
import type { Call } from '../../shared/api.js';
import { formatDuration, pageHost, statusWords } from './format.js';
import type { DialInput } from './popup-api.js';

export function CallHistory({ calls, disabled, onDial }: { calls: Call[] | null; disabled: boolean; onDial: (input: DialInput) => void }) {
  return (
    <section aria-labelledby="history">
      <h2 id="history">Recent calls</h2>
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
    </section>
  );
}
