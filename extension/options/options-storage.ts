// Reads and writes the agent's options in chrome.storage.sync, behind a small interface the options page and tests share.
import { extensionOptionsSchema, OPTIONS_STORAGE_KEY, parseExtensionOptions, type ExtensionOptions } from '../../shared/options.js';

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

export function createOptionsStore(area: SyncArea, requestOrigin: (pattern: string) => Promise<boolean>): OptionsStore {
  return {
    async load() {
      return parseExtensionOptions((await area.get(OPTIONS_STORAGE_KEY))[OPTIONS_STORAGE_KEY]);
    },
    async save(options) {
      await area.set({ [OPTIONS_STORAGE_KEY]: extensionOptionsSchema.parse(options) });
    },
    requestBackendAccess: (origin) => requestOrigin(`${origin}/*`),
  };
}

/** Backends on this machine are covered by the manifest's host permissions; others need the agent's consent. */
export function needsHostPermission(url: URL): boolean {
  return !(url.hostname === '127.0.0.1' || url.hostname === 'localhost');
}
