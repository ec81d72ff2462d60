// Entry of the popup page: mounts the React app with the browser's PopupApi.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { assertContext } from '../lib/context-guard.js';
import '../shared-ui/extension-page.css';
import { App } from './app.js';
import { browserPopupApi } from './browser-popup-api.js';

assertContext('extension-page', 'extension/popup/main.tsx');

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App api={browserPopupApi} />
    </StrictMode>,
  );
}
