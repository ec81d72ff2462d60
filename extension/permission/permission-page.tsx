// The microphone permission page: asks from a click (an offscreen document cannot prompt), follows the permission as it
// changes, and says what to do for each way the microphone can fail: blocked, no device, or held by another app.
import { useEffect, useState } from 'react';

export type MicrophoneState = 'unknown' | 'prompt' | 'granted' | 'denied' | 'no-device' | 'busy';

export interface MicrophoneAccess {
  /** The current permission, without prompting. */
  query(): Promise<MicrophoneState>;
  /** Prompts (must run from a click); resolves with the outcome. */
  request(): Promise<MicrophoneState>;
  /** Calls back when the permission changes (allowed or blocked in Chrome's settings); returns the unsubscribe. */
  watch?(listener: (state: MicrophoneState) => void): () => void;
  /** Opens Chrome's settings for this extension's site permissions. */
  openSettings?(): void;
}

export function PermissionPage({ microphone, extensionId }: { microphone: MicrophoneAccess; extensionId: string }) {
  const [state, setState] = useState<MicrophoneState>('unknown');
  const [asking, setAsking] = useState(false);

  useEffect(() => {
    void microphone.query().then(setState, () => setState('prompt'));
    return microphone.watch?.((next) => setState(next));
  }, [microphone]);

  const ask = async () => {
    setAsking(true);
    setState(await microphone.request());
    setAsking(false);
  };
  const settingsUrl = `chrome://settings/content/siteDetails?site=chrome-extension://${extensionId}`;

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
            {state === 'no-device' || state === 'busy' ? 'Try the microphone again' : 'Allow microphone'}
          </button>
          {state === 'denied' && (
            <div role="alert" className="notice notice-error">
              <div>
                <p>The microphone is blocked for this extension. To unblock it:</p>
                <ol>
                  <li>
                    {microphone.openSettings ? (
                      <button type="button" className="link" onClick={() => microphone.openSettings?.()}>
                        Open Chrome&apos;s settings for Click-to-call
                      </button>
                    ) : (
                      <>
                        Open <code>{settingsUrl}</code> (copy it into the address bar).
                      </>
                    )}
                  </li>
                  <li>Set Microphone to Allow.</li>
                  <li>This page notices by itself; then you can call.</li>
                </ol>
              </div>
            </div>
          )}
          {state === 'no-device' && (
            <p role="alert" className="notice notice-error">
              No microphone was found. Plug in a headset or a microphone, then click Try the microphone again.
            </p>
          )}
          {state === 'busy' && (
            <p role="alert" className="notice notice-error">
              The microphone is in use by another app or could not be started. Close the app that is using it, then click Try the microphone again.
            </p>
          )}
        </>
      )}
    </main>
  );
}
