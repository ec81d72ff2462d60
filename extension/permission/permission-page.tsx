// The microphone permission page: asks from a click (an offscreen document cannot prompt) and explains how to unblock it.
import { useEffect, useState } from 'react';

export type MicrophoneState = 'unknown' | 'prompt' | 'granted' | 'denied';

export interface MicrophoneAccess {
  /** The current permission, without prompting. */
  query(): Promise<MicrophoneState>;
  /** Prompts (must run from a click); resolves with the outcome. */
  request(): Promise<MicrophoneState>;
}

export function PermissionPage({ microphone, extensionId }: { microphone: MicrophoneAccess; extensionId: string }) {
  const [state, setState] = useState<MicrophoneState>('unknown');
  const [asking, setAsking] = useState(false);

  useEffect(() => {
    void microphone.query().then(setState, () => setState('prompt'));
  }, [microphone]);

  const ask = async () => {
    setAsking(true);
    setState(await microphone.request());
    setAsking(false);
  };

  return (
    <main className="page">
      <h1>Allow the microphone for calls</h1>
      <p>Click-to-call places calls from your browser, so it needs your microphone. Chrome only asks on a page like this one.</p>
      {state === 'granted' ? (
        <p role="status" className="notice">
          Microphone allowed. You can close this tab and call.
        </p>
      ) : (
        <>
          <button type="button" className="primary" disabled={asking} onClick={() => void ask()}>
            Allow microphone
          </button>
          {state === 'denied' && (
            <div role="alert" className="notice notice-error">
              <div>
                <p>The microphone is blocked for this extension. To unblock it:</p>
                <ol>
                  <li>
                    Open <code>chrome://settings/content/siteDetails?site=chrome-extension://{extensionId}</code> (copy it into the address bar).
                  </li>
                  <li>Set Microphone to Allow.</li>
                  <li>Come back here and click Allow microphone again.</li>
                </ol>
              </div>
            </div>
          )}
        </>
      )}
    </main>
  );
}
