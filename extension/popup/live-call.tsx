// The live call: who, its status and timer, mute, keypad, hang up, quality warnings and why it failed.
import { useEffect, useState } from 'react';
import { describeCallWarning, type LiveCall } from '../protocol/softphone.js';
import { ErrorNotice } from './error-notice.js';
import { formatDuration, formatPhone, statusWords } from './format.js';
import { Keypad } from './keypad.js';
import type { PopupApi } from './popup-api.js';

function callStatusText(call: LiveCall, now: number): string {
  switch (call.phase) {
    case 'connecting':
      return 'Calling…';
    case 'ringing':
      return 'Ringing…';
    case 'open':
      return `In call ${formatDuration((now - (call.answeredAt ?? now)) / 1000)}`;
    case 'ended':
      return `Call ended: ${call.status ? statusWords(call.status).toLowerCase() : 'ended'}`;
  }
}

function useNow(active: boolean, now: () => number): number {
  const [time, setTime] = useState(now);
  useEffect(() => {
    if (!active) return;
    setTime(now());
    const timer = setInterval(() => setTime(now()), 1000);
    return () => clearInterval(timer);
  }, [active, now]);
  return time;
}

export function LiveCallPanel({ call, api, now = Date.now, country = 'US' }: { call: LiveCall; api: PopupApi; now?: () => number; country?: string }) {
  const time = useNow(call.phase === 'open', now);
  const [keypadOpen, setKeypadOpen] = useState(false);
  const [commandError, setCommandError] = useState<string | null>(null);
  const live = call.phase !== 'ended';
  const run = async (action: () => Promise<{ ok: boolean; error?: string }>) => {
    const result = await action();
    setCommandError(result.ok ? null : (result.error ?? null));
  };

  return (
    <section className={`live-call phase-${call.phase}`} aria-label="Current call">
      <div className="who">
        <strong>{call.contactName ?? formatPhone(call.to, call.extension, country)}</strong>
        {call.contactName && <span className="muted"> {formatPhone(call.to, call.extension, country)}</span>}
      </div>
      {/* The state is announced when it changes; the running time is not (role timer is never announced by itself). */}
      <p role="status" aria-label="Call status" className="call-status">
        {call.phase === 'open' ? (
          <>
            In call{' '}
            <span role="timer" aria-live="off" aria-label="Time in call">
              {formatDuration((time - (call.answeredAt ?? time)) / 1000)}
            </span>
          </>
        ) : (
          callStatusText(call, time)
        )}
      </p>
      {call.warnings.map((name) => (
        <p key={name} className="notice notice-warning">
          {describeCallWarning(name)}
        </p>
      ))}
      {call.error && <ErrorNotice message={call.error.message} action={call.error.action} api={api} />}
      {commandError && <p className="notice notice-error">{commandError}</p>}
      {live && (
        <div className="call-controls">
          <button
            type="button"
            aria-pressed={call.muted}
            disabled={call.phase !== 'open'}
            onClick={() => void run(() => api.setMuted(!call.muted))}
          >
            {call.muted ? 'Unmute' : 'Mute'}
          </button>
          <button type="button" aria-expanded={keypadOpen} disabled={call.phase !== 'open'} onClick={() => setKeypadOpen((o) => !o)}>
            Keypad
          </button>
          <button type="button" className="danger" onClick={() => void run(() => api.hangup())}>
            Hang up
          </button>
        </div>
      )}
      {live && keypadOpen && call.phase === 'open' && <Keypad onDigit={(d) => void run(() => api.sendDigits(d))} />}
    </section>
  );
}
