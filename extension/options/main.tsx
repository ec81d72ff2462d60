// Entry of the options page: mounts the options form over chrome.storage (sync, and local for the backend URL).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import browser from 'webextension-polyfill';
import { assertContext } from '../lib/context-guard.js';
import '../shared-ui/extension-page.css';
import { AdminWebhooks } from './admin-webhooks.js';
import { OptionsForm } from './options-form.js';
import { AdminNumbers } from './admin-numbers.js';
import { AudioDevices } from './audio-devices.js';
import { browserAudioDevices } from './browser-audio-devices.js';
import { AdminOutcomes } from './admin-outcomes.js';
import { workerAuth } from './admin-auth.js';
import { createOptionsStore } from './options-storage.js';

assertContext('extension-page', 'extension/options/main.tsx');

const store = createOptionsStore(browser.storage.sync, (pattern) => browser.permissions.request({ origins: [pattern] }), browser.storage.local);
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <main className="page">
        <OptionsForm store={store} />
        <AudioDevices api={browserAudioDevices} />
        <AdminOutcomes getAuth={workerAuth} />
        <AdminNumbers getAuth={workerAuth} />
        <AdminWebhooks />
      </main>
    </StrictMode>,
  );
}
