// The extension's MV3 manifest, built by @crxjs/vite-plugin; every permission is justified in docs/extension-permissions.md.
import { defineManifest } from '@crxjs/vite-plugin';

const CONTENT_SCRIPT = 'extension/content/main.ts';

/**
 * match_origin_as_fallback: frames with an opaque origin (sandboxed srcdoc, data:, blob: frames of a matched page) get
 * the content script too. @crxjs/vite-plugin's manifest type does not know the key yet (it passes it through): the entry
 * is a variable so that TypeScript's check for unknown keys in object literals does not reject it.
 */
const contentScript = {
  matches: ['<all_urls>'],
  js: [CONTENT_SCRIPT],
  css: ['extension/content/highlight.css'],
  all_frames: true,
  match_about_blank: true,
  match_origin_as_fallback: true,
  run_at: 'document_idle' as const,
};

export default defineManifest({
  manifest_version: 3,
  name: 'Click-to-call',
  version: '0.1.0',
  description: 'Call phone numbers on any web page in one click, from the browser, over Twilio.',
  icons: {
    16: 'extension/icons/icon-16.png',
    32: 'extension/icons/icon-32.png',
    48: 'extension/icons/icon-48.png',
    128: 'extension/icons/icon-128.png',
  },
  action: {
    default_title: 'Click-to-call',
    default_popup: 'extension/popup/index.html',
    default_icon: { 16: 'extension/icons/icon-16.png', 32: 'extension/icons/icon-32.png' },
  },
  options_page: 'extension/options/index.html',
  background: { service_worker: 'extension/background/main.ts', type: 'module' },
  content_scripts: [contentScript],
  permissions: ['offscreen', 'storage', 'contextMenus', 'notifications', 'alarms', 'scripting', 'activeTab'],
  host_permissions: ['http://127.0.0.1/*', 'http://localhost/*'],
  optional_host_permissions: ['https://*/*', 'http://*/*'],
  commands: {
    'dial-selection': {
      suggested_key: { default: 'Alt+Shift+C' },
      description: 'Call the selected phone number',
    },
  },
});
