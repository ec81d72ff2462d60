// An inbound call's line in the history: "Missed" when nobody answered, and its voicemail, played from the backend
// (which streams it to the organization's signed-in agents only).
import { useEffect, useState } from 'react';
import type { Call } from '../../shared/api.js';

/** Nobody answered an incoming call (with or without a voicemail). */
export const isMissed = (call: Call) => call.direction === 'inbound' && call.status === 'no-answer';

export function InboundCallDetails({ call, fetchRecording }: { call: Call; fetchRecording?: (callId: string) => Promise<Blob> }) {
  const [audioUrl, setAudioUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => () => void (audioUrl && URL.revokeObjectURL(audioUrl)), [audioUrl]);
  if (call.direction !== 'inbound') return null;
  const play = async () => {
    setError(null);
    try {
      setAudioUrl(URL.createObjectURL(await fetchRecording!(call.id)));
    } catch (e) {
      setError(e instanceof Error ? e.message : 'The voicemail could not be played; try again.');
    }
  };
  return (
    <div className="small inbound-details">
      <span className="muted">Incoming</span>
      {isMissed(call) && <span className="status status-missed"> · Missed</span>}
      {call.voicemail && (
        <span>
          {' '}
          · Voicemail{call.voicemail.seconds !== null ? ` (${call.voicemail.seconds} s)` : ''}{' '}
          {fetchRecording && !audioUrl && (
            <button type="button" className="link" aria-label="Play voicemail" onClick={() => void play()}>
              Play
            </button>
          )}
        </span>
      )}
      {audioUrl && <audio src={audioUrl} controls autoPlay aria-label="Voicemail" />}
      {error && <div role="alert" className="notice-error">{error}</div>}
    </div>
  );
}
