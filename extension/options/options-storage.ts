// Reads and writes the agent's options (chrome.storage.sync; the backend URL in the trusted local area), behind a small
// interface the options page and tests share.
import { BACKEND_STORAGE_KEY, backendSettingsSchema, extensionOptionsSchema, OPTIONS_STORAGE_KEY, parseExtensionOptions, type ExtensionOptions } from '../lib/options.js';

export interface OptionsStore {
  load(): Promise<ExtensionOptions>;
  save(options: ExtensionOptions): Promise<void>;
  /** Asks for access to a backend that is not on this machine; false when the agent refused. */
  requestBackendAccess(origin: string): Promise<boolean>;
}

export interface SyncArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

/**
 * `area` holds what content scripts need; `trusted` (chrome.storage.local, closed to content scripts) the backend URL, so
 * only the extension's own pages can change where the bearer token goes. Without `trusted` both go to `area` (tests).
 */
export function createOptionsStore(area: SyncArea, requestOrigin: (pattern: string) => Promise<boolean>, trusted: SyncArea = area): OptionsStore {
  return {
    async load() {
      return parseExtensionOptions((await area.get(OPTIONS_STORAGE_KEY))[OPTIONS_STORAGE_KEY], (await trusted.get(BACKEND_STORAGE_KEY))[BACKEND_STORAGE_KEY]);
    },
    async save(options) {
      const { backendUrl, ...page } = extensionOptionsSchema.parse(options);
      await trusted.set({ [BACKEND_STORAGE_KEY]: backendSettingsSchema.parse({ backendUrl }) });
      await area.set({ [OPTIONS_STORAGE_KEY]: page });
    },
    requestBackendAccess: (origin) => requestOrigin(`${origin}/*`),
  };
}

/** Backends on this machine are covered by the manifest's host permissions; others need the agent's consent. */
export function needsHostPermission(url: URL): boolean {
  return !(url.hostname === '127.0.0.1' || url.hostname === 'localhost');
}
