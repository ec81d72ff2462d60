// The agent's extension options: one schema with defaults, read by the content script, the service worker and the options page.
import { z } from 'zod';
import { countryCodeSchema } from './api.js';

export const OPTIONS_STORAGE_KEY = 'c2c:options';

export const extensionOptionsSchema = z.object({
  backendUrl: z.url().default('http://127.0.0.1:3003'),
  defaultCountry: countryCodeSchema.default('US'),
  /** Host names (example.com also covers its subdomains) where the content script finds nothing. */
  disabledSites: z.array(z.string().min(1).max(253)).default([]),
  /** Whether clicking a tel: link calls through the extension instead of the browser's app picker. */
  takeOverTelLinks: z.boolean().default(true),
});
export type ExtensionOptions = z.infer<typeof extensionOptionsSchema>;

/** Reads stored options, falling back to the defaults for anything missing or malformed. */
export function parseExtensionOptions(stored: unknown): ExtensionOptions {
  const parsed = extensionOptionsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : extensionOptionsSchema.parse({});
}

/** Whether detection is switched off for this host name. */
export function isSiteDisabled(hostname: string, disabledSites: readonly string[]): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return disabledSites.some((site) => {
    const s = site.trim().toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
    return s !== '' && (host === s || host.endsWith(`.${s}`));
  });
}
