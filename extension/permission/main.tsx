// Entry of the permission page: mounts it with the browser's real microphone access.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { assertContext } from '../lib/context-guard.js';
import '../shared-ui/extension-page.css';
import { PermissionPage, type MicrophoneAccess, type MicrophoneState } from './permission-page.js';

assertContext('extension-page', 'extension/permission/main.tsx');

const permissionStatus = () => navigator.permissions.query({ name: 'microphone' as PermissionName });

const microphone: MicrophoneAccess = {
  async query() {
    return (await permissionStatus()).state as MicrophoneState;
  },
  async request() {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      for (const track of stream.getTracks()) track.stop();
      return 'granted';
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'no-device';
      if (name === 'NotReadableError' || name === 'AbortError') return 'busy';
      return (await permissionStatus()).state === 'denied' ? 'denied' : 'prompt';
    }
  },
  watch(listener) {
    let status: PermissionStatus | null = null;
    const onChange = () => status && listener(status.state as MicrophoneState);
    void permissionStatus().then((s) => {
      status = s;
      s.addEventListener('change', onChange);
    });
    return () => status?.removeEventListener('change', onChange);
  },
  openSettings() {
    void chrome.tabs.create({ url: `chrome://settings/content/siteDetails?site=${encodeURIComponent(`chrome-extension://${chrome.runtime.id}`)}` });
  },
};

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <PermissionPage microphone={microphone} extensionId={chrome.runtime.id} />
    </StrictMode>,
  );
}
