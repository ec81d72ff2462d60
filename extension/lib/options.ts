// The agent's extension options: one schema with defaults, read by the content script, the service worker and the options page.
import { z } from 'zod';
import { countryCodeSchema } from '../../shared/api.js';

/** chrome.storage.sync: what the content script needs. Pages' content scripts can read (and a compromised one write) it. */
export const OPTIONS_STORAGE_KEY = 'c2c:options';
/**
 * chrome.storage.local, which the service worker restricts to the extension's own pages (setAccessLevel
 * TRUSTED_CONTEXTS): where the session and its bearer token go, so no content script can read or move them.
 */
export const BACKEND_STORAGE_KEY = 'c2c:backend';
const DEFAULT_BACKEND_URL = 'http://127.0.0.1:3003';

/** Loopback addresses: the only ones where plain http is allowed (nothing crosses a network). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/** A backend URL: http(s) only, and https unless it is on this machine (the bearer token must never travel in clear). */
const backendUrlSchema = z.url().refine((value) => {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackHost(u.hostname));
  } catch {
    return false;
  }
}, 'Use an https:// address for a backend on another machine (http:// only for this machine).');

export const backendSettingsSchema = z.object({ backendUrl: backendUrlSchema.default(DEFAULT_BACKEND_URL) });

export const extensionOptionsSchema = z.object({
  backendUrl: backendUrlSchema.default(DEFAULT_BACKEND_URL),
  defaultCountry: countryCodeSchema.default('US'),
  /** Host names (example.com also covers its subdomains) where the content script finds nothing. */
  disabledSites: z.array(z.string().min(1).max(253)).default([]),
  /** Whether clicking a tel: link calls through the extension instead of the browser's app picker. */
  takeOverTelLinks: z.boolean().default(true),
  /** A screen pop: answering a call from someone the team called from a page before opens that page in a new tab. */
  openCallerPageOnAnswer: z.boolean().default(false),
});
export type ExtensionOptions = z.infer<typeof extensionOptionsSchema>;

/** The options kept in chrome.storage.sync (everything but the backend URL). */
export type PageOptions = Omit<ExtensionOptions, 'backendUrl'>;

/**
 * Reads stored options, falling back to the defaults for anything missing or malformed. The backend URL comes only from
 * `storedBackend` (the trusted area): a `backendUrl` found among the sync options is ignored, since a page could put it there.
 */
export function parseExtensionOptions(stored: unknown, storedBackend?: unknown): ExtensionOptions {
  const page = typeof stored === 'object' && stored !== null ? { ...(stored as Record<string, unknown>) } : {};
  delete page.backendUrl;
  const parsed = extensionOptionsSchema.omit({ backendUrl: true }).safeParse(page);
  const backend = backendSettingsSchema.safeParse(storedBackend ?? {});
  return {
    ...(parsed.success ? parsed.data : extensionOptionsSchema.omit({ backendUrl: true }).parse({})),
    backendUrl: backend.success ? backend.data.backendUrl : DEFAULT_BACKEND_URL,
  };
}

/** Whether detection is switched off for this host name. */
export function isSiteDisabled(hostname: string, disabledSites: readonly string[]): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return disabledSites.some((site) => {
    const s = site.trim().toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
    return s !== '' && (host === s || host.endsWith(`.${s}`));
  });
}
