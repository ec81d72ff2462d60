// @vitest-environment jsdom
// The options' microphone and speaker section: device names, the sentence when the browser hides them, saving the choice.
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { audioChoiceFor, withAudioChoice, type AudioChoice } from '../lib/audio-devices.js';
import { AudioDevices, type AudioDeviceInfo, type AudioDevicesApi } from './audio-devices.js';

afterEach(cleanup);

function api(devices: AudioDeviceInfo[]) {
  let stored: unknown = {};
  const a: AudioDevicesApi = {
    listDevices: async () => devices,
    load: async () => ({ agentName: 'Ada Agent', choice: audioChoiceFor(stored, 'ada') }),
    save: async (choice: AudioChoice) => void (stored = withAudioChoice(stored, 'ada', choice)),
    openPermissionPage: vi.fn(),
  };
  return { api: a, stored: () => audioChoiceFor(stored, 'ada') };
}

describe('AudioDevices', () => {
  it('says the names are hidden until the microphone is allowed, and still lets the agent choose', async () => {
    const f = api([
      { deviceId: 'default', kind: 'audioinput', label: '' },
      { deviceId: 'mic-a', kind: 'audioinput', label: '' },
      { deviceId: 'mic-b', kind: 'audioinput', label: '' },
    ]);
    render(<AudioDevices api={f.api} />);
    const mic = await screen.findByRole('combobox', { name: 'Microphone' });
    expect(screen.getByText(/shows device names only once Click-to-call may use the microphone/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Allow the microphone' }));
    expect(f.api.openPermissionPage).toHaveBeenCalled();
    expect([...mic.querySelectorAll('option')].map((o) => o.textContent)).toEqual(['System default', 'Microphone 1', 'Microphone 2']);
    expect((screen.getByRole('combobox', { name: 'Speaker' }) as HTMLSelectElement).disabled).toBe(true);
    await userEvent.selectOptions(mic, 'Microphone 2');
    await screen.findByText(/^Saved\./);
    expect(f.stored()).toEqual({ inputDeviceId: 'mic-b', outputDeviceId: null });
  });

  it('names the devices and keeps a chosen one that is unplugged now', async () => {
    const f = api([
      { deviceId: 'mic-a', kind: 'audioinput', label: 'Headset microphone' },
      { deviceId: 'spk-a', kind: 'audiooutput', label: 'Headset earpiece' },
    ]);
    await f.api.save({ inputDeviceId: 'gone', outputDeviceId: 'spk-a' });
    render(<AudioDevices api={f.api} />);
    const mic = (await screen.findByRole('combobox', { name: 'Microphone' })) as HTMLSelectElement;
    expect(mic.value).toBe('gone');
    expect(mic.selectedOptions[0]?.textContent).toBe('A device that is not connected now');
    expect((screen.getByRole('combobox', { name: 'Speaker' }) as HTMLSelectElement).value).toBe('spk-a');
    expect(screen.queryByText(/shows device names only once/)).toBeNull();
  });
});
