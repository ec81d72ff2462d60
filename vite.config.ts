// Builds the extension into dist/extension: crxjs reads the manifest; the offscreen and permission pages are extra inputs.
import { crx } from '@crxjs/vite-plugin';
import { defineConfig } from 'vite';
import manifest from './manifest.config.js';

export default defineConfig({
  plugins: [crx({ manifest })],
  build: {
    outDir: 'dist/extension',
    emptyOutDir: true,
    rollupOptions: {
      input: {
        offscreen: 'extension/offscreen/index.html',
        permission: 'extension/permission/index.html',
        confirm: 'extension/confirm/index.html',
      },
    },
  },
});
