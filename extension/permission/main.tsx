// Entry of the permission page: mounts it with the browser's real microphone access.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { assertContext } from '../lib/context-guard.js';
import '../shared-ui/extension-page.css';
import { PermissionPage, type MicrophoneAccess, type MicrophoneState } from './permission-page.js';

assertContext('extension-page', 'extension/permission/main.tsx');

const microphone: MicrophoneAccess = {
  async query() {
    const status = await navigator.permissions.query({ name: 'microphone' as PermissionName });
    return status.state as MicrophoneState;
  },
  async request() {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      for (const track of stream.getTracks()) track.stop();
      return 'granted';
    } catch {
      return 'denied';
    }
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
