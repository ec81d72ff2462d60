// The popup's incoming call: who is calling (name, or number and country), the page they were last called from, and
// Answer / Decline. Shown while a call to the organization's numbers rings on this softphone.
import type { CommandResult } from '../protocol/extension-messages.js';
import { formatForPeople } from '../../shared/phone/format.js';
import type { SoftphoneState } from '../protocol/softphone.js';

export interface IncomingCallApi {
  answer?(callSid: string): Promise<CommandResult>;
  decline?(callSid: string): Promise<CommandResult>;
}

export function IncomingCallPanel({ state, api }: { state: SoftphoneState; api: IncomingCallApi }) {
  const incoming = state.incoming;
  if (!incoming || (state.call && state.call.phase !== 'ended')) return null;
  const number = /^\+\d{7,15}$/.test(incoming.from) ? formatForPeople(incoming.from) : incoming.from;
  return (
    <section className="incoming-call notice" role="alertdialog" aria-label="Incoming call">
      <p>
        <strong>Incoming call</strong> from {incoming.contactName ? `${incoming.contactName} (${number})` : number}
      </p>
      {incoming.pageUrl && (
        <p>
          <a href={incoming.pageUrl} target="_blank" rel="noopener noreferrer">
            Open {incoming.pageTitle ?? new URL(incoming.pageUrl).hostname}
          </a>
        </p>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={() => void api.answer?.(incoming.callSid)}>
          Answer
        </button>
        <button type="button" onClick={() => void api.decline?.(incoming.callSid)}>
          Decline
        </button>
      </div>
    </section>
  );
}
