// Microphone and speaker for calls, chosen in the options and kept per agent (chrome.storage.local): the device lists come
// from enumerateDevices, whose names stay hidden until the microphone has been allowed, which the section says in words.
import { useCallback, useEffect, useState } from 'react';
import type { AudioChoice } from '../lib/audio-devices.js';

export interface AudioDeviceInfo {
  deviceId: string;
  kind: string;
  label: string;
}

export interface AudioDevicesApi {
  listDevices(): Promise<AudioDeviceInfo[]>;
  /** The choice of whoever is signed in (their name, or null when signed out). */
  load(): Promise<{ agentName: string | null; choice: AudioChoice }>;
  save(choice: AudioChoice): Promise<void>;
  /** Opens the page where the microphone is allowed. */
  openPermissionPage(): void;
  /** Calls back when devices are plugged in or out. */
  onDevicesChanged?(listener: () => void): () => void;
}

/** Devices of one kind, as the agent can tell them apart: the browser's label, else "Microphone 2". */
function deviceOptions(devices: readonly AudioDeviceInfo[], kind: 'audioinput' | 'audiooutput'): Array<{ id: string; name: string }> {
  const noun = kind === 'audioinput' ? 'Microphone' : 'Speaker';
  // "default" and "communications" are Chrome's aliases of a real device, which "System default" already covers.
  return devices
    .filter((d) => d.kind === kind && d.deviceId !== '' && d.deviceId !== 'default' && d.deviceId !== 'communications')
    .map((d, i) => ({ id: d.deviceId, name: d.label || `${noun} ${i + 1}` }));
}

export function AudioDevices({ api }: { api: AudioDevicesApi }) {
  const [devices, setDevices] = useState<AudioDeviceInfo[] | null>(null);
  const [choice, setChoice] = useState<AudioChoice | null>(null);
  const [agentName, setAgentName] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const refresh = useCallback(() => {
    api.listDevices().then(setDevices, () => setDevices([]));
  }, [api]);
  useEffect(() => {
    refresh();
    void api.load().then((loaded) => {
      setChoice(loaded.choice);
      setAgentName(loaded.agentName);
    });
    return api.onDevicesChanged?.(refresh);
  }, [api, refresh]);

  if (!devices || !choice) return <p className="muted">Looking for microphones and speakers…</p>;
  const inputs = deviceOptions(devices, 'audioinput');
  const outputs = deviceOptions(devices, 'audiooutput');
  const unnamed = devices.some((d) => d.kind === 'audioinput' && d.label === '');

  const change = (next: AudioChoice) => {
    setChoice(next);
    void api.save(next).then(
      () => setStatus('Saved. The next call uses it, and a call in progress switches to it.'),
      () => setStatus('The choice could not be saved; try again.'),
    );
  };
  // A chosen device that is not plugged in now stays chosen (it comes back with the headset), and says so.
  const withMissing = (list: Array<{ id: string; name: string }>, id: string | null) =>
    id && !list.some((o) => o.id === id) ? [...list, { id, name: 'A device that is not connected now' }] : list;

  return (
    <section aria-labelledby="audio-heading">
      <h2 id="audio-heading">Microphone and speaker</h2>
      <p className="muted small">{agentName ? `Kept for ${agentName} on this computer.` : 'Kept for whoever signs in on this computer until they choose their own.'}</p>
      {unnamed && (
        <p className="notice small">
          The browser shows device names only once Click-to-call may use the microphone.{' '}
          <button type="button" className="link" onClick={() => api.openPermissionPage()}>
            Allow the microphone
          </button>{' '}
          and the names appear here.
        </p>
      )}
      <label>
        Microphone
        <select value={choice.inputDeviceId ?? ''} onChange={(e) => change({ ...choice, inputDeviceId: e.target.value || null })}>
          <option value="">System default</option>
          {withMissing(inputs, choice.inputDeviceId).map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Speaker
        <select value={choice.outputDeviceId ?? ''} disabled={outputs.length === 0 && !choice.outputDeviceId} aria-describedby="speaker-hint" onChange={(e) => change({ ...choice, outputDeviceId: e.target.value || null })}>
          <option value="">System default</option>
          {withMissing(outputs, choice.outputDeviceId).map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      <p id="speaker-hint" className="muted small">
        {outputs.length === 0 ? 'This browser does not list speakers: calls play on the system default.' : 'Calls and the ringtone of incoming calls play here.'}
      </p>
      {status && (
        <p role="status" className="small">
          {status}
        </p>
      )}
    </section>
  );
}
