// Content script entry: runs in every frame, finds callable numbers and offers a Call action.
import { chromeEnv, startContentScript } from './content-script.js';

// Guard against a second injection into the same frame (e.g. the extension reloaded).
const flag = '__c2cContentScript';
const scope = globalThis as unknown as Record<string, boolean>;
if (!scope[flag] && document.documentElement) {
  scope[flag] = true;
  startContentScript(chromeEnv(document));
}
