// Builds the extension into dist/extension: crxjs reads the manifest; the offscreen, permission and confirmation pages are
// extra inputs; the content script is then rebuilt as one self-contained file so no extension file is web-accessible.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crx } from '@crxjs/vite-plugin';
import { build, defineConfig, type Plugin } from 'vite';
import manifest from './manifest.config.js';

const CONTENT_ENTRY = 'extension/content/main.ts';
const CONTENT_FILE = 'content-script.js';

/** Timing marks (performance.mark with figures) only in builds that ask for them: pages can read them. */
const define = { __C2C_TIMING_MARKS__: JSON.stringify(process.env.C2C_TIMING_MARKS === '1') };

/**
 * crxjs loads a content script that shares chunks with other entries through a loader that import()s them, which needs
 * them listed in web_accessible_resources: any page could then fetch chrome-extension://<id>/assets/… and so learn the
 * extension is installed (use_dynamic_url would hide the id, but Chrome then refuses those static imports). Rebuilt as
 * one classic script, the content script needs no web-accessible file at all.
 */
function contentScriptAsOneFile(): Plugin {
  let outDir = 'dist/extension';
  return {
    name: 'c2c-content-script-as-one-file',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await build({
        configFile: false,
        logLevel: 'warn',
        define,
        build: {
          outDir,
          emptyOutDir: false,
          copyPublicDir: false,
          lib: { entry: path.resolve(CONTENT_ENTRY), formats: ['iife'], name: 'c2cContentScript', fileName: () => CONTENT_FILE },
        },
      });
      const manifestPath = path.join(outDir, 'manifest.json');
      const built = JSON.parse(await readFile(manifestPath, 'utf8')) as {
        content_scripts?: { js?: string[] }[];
        web_accessible_resources?: unknown[];
      };
      for (const script of built.content_scripts ?? []) script.js = [CONTENT_FILE];
      delete built.web_accessible_resources;
      await writeFile(manifestPath, `${JSON.stringify(built, null, 2)}\n`);
    },
  };
}

export default defineConfig({
  plugins: [crx({ manifest }), contentScriptAsOneFile()],
  define,
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
