// Recent calls, the agent's own or the team's (who placed each): status, duration, when, contact, the page each was
// dialled from, redial with its extension (not for a number the backend refused), and older calls on request.
import { useState } from 'react';
import type { Call } from '../../shared/api.js';
import { formatDuration, formatPhone, isRefusedNumber, pageHost, relativeWhen, statusWords } from './format.js';
import type { DialInput } from './popup-api.js';
import { InboundCallDetails, isMissed } from './inbound-call-details.js';
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

export function CallHistory({
  calls: all,
  older,
  disabled,
  onDial,
  selfId,
  country = 'US',
  now,
  fetchRecording,
  wrapUps,
}: {
  calls: Call[] | null;
  older: OlderCalls;
  disabled: boolean;
  onDial: (input: DialInput) => void;
  selfId?: string;
  country?: string;
  now?: () => number;
  fetchRecording?: (callId: string) => Promise<Blob>;
  wrapUps?: WrapUpContext;
}) {
  const [scope, setScope] = useState<'mine' | 'team'>('mine');
  // Mine: the agent's own calls, and the team's missed inbound calls (nobody took them; anyone may call back).
  const mine = (c: Call) => c.assignedTo === selfId || (c.direction === 'inbound' && !c.assignedTo);
  const calls = all === null ? null : scope === 'team' || !selfId ? all : all.filter(mine);
  const today = new Date(now?.() ?? Date.now());
  return (
    <div>
      <CallExport ctx={wrapUps} />
      {selfId && (
        <div className="scope" role="group" aria-label="Whose calls">
          <button type="button" aria-pressed={scope === 'mine'} onClick={() => setScope('mine')}>
            Mine
          </button>
          <button type="button" aria-pressed={scope === 'team'} onClick={() => setScope('team')}>
            Team
          </button>
        </div>
      )}
      {calls === null ? (
        <p className="muted">Loading history…</p>
      ) : calls.length === 0 ? (
        <p className="muted">{scope === 'mine' ? 'No calls of yours yet.' : 'No calls yet.'}</p>
      ) : (
        <ul className="rows" aria-label="Call history">
          {calls.map((call) => {
            const number = call.direction === 'outbound' ? call.toNumber : call.fromNumber;
            const shown = number ? formatPhone(number, call.extension, country) : null;
            const who = call.contactName ?? shown ?? 'Unknown number';
            const refused = isRefusedNumber(call);
            const byOther = call.assignedTo !== selfId && selfId !== undefined;
            return (
              <li key={call.id} className="row history-row" aria-label={`${who}, ${statusWords(call.status)}`}>
                <div className="row-text">
                  <div>
                    <strong>{who}</strong> {call.contactName && shown && <span className="muted">{shown}</span>}
                  </div>
                  <div className="muted small">
                    <span className={`status status-${call.status}`}>{statusWords(call.status)}</span>
                    {call.duration !== null && <span> · {formatDuration(call.duration)}</span>}
                    <span> · {relativeWhen(call.createdAt, today)}</span>
                    {byOther && <span> · placed by {call.agentName ?? 'a teammate'}</span>}
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
                  <InboundCallDetails call={call} fetchRecording={fetchRecording} />
                  {call.errorMessage && call.direction === 'outbound' && <div className="small notice-error">{refused ? `Not callable: ${call.errorMessage}` : call.errorMessage}</div>}
                  <HistoryWrapUp call={call} ctx={wrapUps} />
                </div>
                {number && !refused && (
                  <button
                    type="button"
                    aria-label={`${isMissed(call) ? 'Call back' : 'Redial'} ${who}`}
                    disabled={disabled}
                    onClick={() =>
                      onDial({
                        to: number,
                        ...(call.extension ? { extension: call.extension } : {}),
                        contactName: call.contactName ?? undefined,
                        pageUrl: call.pageUrl ?? undefined,
                        pageTitle: call.pageTitle ?? undefined,
                      })
                    }
                  >
                    {isMissed(call) ? 'Call back' : 'Redial'}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {calls !== null && (all?.length ?? 0) > 0 && <OlderCallsFooter older={older} scope={scope} />}
    </div>
  );
}

function OlderCallsFooter({ older, scope }: { older: OlderCalls; scope: 'mine' | 'team' }) {
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
        older.paged && <p className="muted small">{scope === 'mine' ? 'That is all your calls.' : 'That is all your team’s calls.'}</p>
      )}
    </>
  );
}
