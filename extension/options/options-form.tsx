// The options page: backend URL (fixed when typed without http://, tested on request), default country (picked from a
// list), sites where detection is off, and whether tel: links are taken over.
import { getCountries } from 'libphonenumber-js/max';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { countryCodeSchema, healthResponseSchema } from '../../shared/api.js';
import { isLoopbackHost } from '../lib/options.js';
import { needsHostPermission, type OptionsStore } from './options-storage.js';

interface Draft {
  backendUrl: string;
  defaultCountry: string;
  disabledSites: string;
  takeOverTelLinks: boolean;
  openCallerPageOnAnswer: boolean;
}

/**
 * The address as the agent meant it: "127.0.0.1:3003" or "localhost:3003" is http:// on this machine, "calls.example.com"
 * is https://; anything with a scheme is left as typed (and checked).
 */
export function fixBackendUrl(typed: string): string {
  const value = typed.trim();
  if (value === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  const host = value.split(/[/:?#]/)[0] ?? '';
  const local = host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]';
  return `${local ? 'http' : 'https'}://${value}`;
}

/** Checks a draft; returns the options to save or the sentence saying what to fix. */
export function validateDraft(draft: Draft): { ok: true; url: URL; defaultCountry: string; disabledSites: string[] } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(fixBackendUrl(draft.backendUrl));
  } catch {
    return { ok: false, error: 'Enter the backend address as a full URL, such as http://127.0.0.1:3003.' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: 'The backend address must start with http:// or https://.' };
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return { ok: false, error: 'Use an https:// address for a backend on another machine: over http:// your sign-in would cross the network in clear.' };
  }
  const country = draft.defaultCountry.trim().toUpperCase();
  if (!countryCodeSchema.safeParse(country).success) return { ok: false, error: 'Enter the default country as a two-letter code such as US or GB.' };
  const disabledSites = draft.disabledSites
    .split(/[\s,]+/)
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  const bad = disabledSites.find((s) => !/^(\*\.)?[a-z0-9.-]+$/.test(s));
  if (bad) return { ok: false, error: `"${bad}" is not a site name; write host names such as example.com, one per line.` };
  return { ok: true, url, defaultCountry: country, disabledSites };
}

/** Every country libphonenumber knows, by its English name. */
function useCountries(): Array<{ code: string; name: string }> {
  return useMemo(() => {
    const names = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;
    return getCountries()
      .map((code) => ({ code, name: names?.of(code) ?? code }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, []);
}

/** What GET /health says of a backend, as a sentence. */
async function testConnection(url: string, fetcher: typeof fetch): Promise<{ ok: boolean; text: string }> {
  try {
    const res = await fetcher(`${url.replace(/\/$/, '')}/health`, { signal: AbortSignal.timeout(5000) });
    const health = healthResponseSchema.safeParse(await res.json().catch(() => null));
    if (!res.ok || !health.success) return { ok: false, text: `${url} answered, but not as a Click-to-call backend (HTTP ${res.status}). Check the address.` };
    const { telephony, database } = health.data.mode;
    return { ok: true, text: `Connected to ${url}: ${telephony === 'simulated' ? 'simulated Twilio' : 'Twilio'}, ${database} database.` };
  } catch {
    return { ok: false, text: `${url} could not be reached. Check that the backend is running and the address is right.` };
  }
}

export function OptionsForm({ store, fetcher = (...args) => fetch(...args) }: { store: OptionsStore; fetcher?: typeof fetch }) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [testing, setTesting] = useState(false);
  const countries = useCountries();

  useEffect(() => {
    void store.load().then((o) =>
      setDraft({ backendUrl: o.backendUrl, defaultCountry: o.defaultCountry, disabledSites: o.disabledSites.join('\n'), takeOverTelLinks: o.takeOverTelLinks, openCallerPageOnAnswer: o.openCallerPageOnAnswer }),
    );
  }, [store]);

  if (!draft) return <p aria-busy="true">Loading options…</p>;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = validateDraft(draft);
    if (!checked.ok) return setMessage({ kind: 'error', text: checked.error });
    if (needsHostPermission(checked.url) && !(await store.requestBackendAccess(checked.url.origin))) {
      return setMessage({ kind: 'error', text: `The extension needs your permission to reach ${checked.url.origin}; save again and allow it.` });
    }
    setDraft({ ...draft, backendUrl: checked.url.href.replace(/\/$/, '') });
    await store.save({
      backendUrl: checked.url.href.replace(/\/$/, ''),
      defaultCountry: checked.defaultCountry,
      disabledSites: checked.disabledSites,
      takeOverTelLinks: draft.takeOverTelLinks,
      openCallerPageOnAnswer: draft.openCallerPageOnAnswer,
    });
    setMessage({ kind: 'ok', text: 'Options saved.' });
  };

  const test = async () => {
    const checked = validateDraft(draft);
    if (!checked.ok) return setMessage({ kind: 'error', text: checked.error });
    const url = checked.url.href.replace(/\/$/, '');
    setDraft({ ...draft, backendUrl: url });
    if (needsHostPermission(checked.url) && !(await store.requestBackendAccess(checked.url.origin))) {
      return setMessage({ kind: 'error', text: `The extension needs your permission to reach ${checked.url.origin}; test again and allow it.` });
    }
    setTesting(true);
    const result = await testConnection(url, fetcher);
    setTesting(false);
    setMessage({ kind: result.ok ? 'ok' : 'error', text: result.text });
  };

  return (
    <form aria-label="Options" noValidate onSubmit={(e) => void submit(e)}>
      <h1>Click-to-call options</h1>
      <label>
        Backend URL
        <input
          type="url"
          value={draft.backendUrl}
          onChange={(e) => setDraft({ ...draft, backendUrl: e.target.value })}
          onBlur={() => setDraft({ ...draft, backendUrl: fixBackendUrl(draft.backendUrl) })}
        />
      </label>
      <p>
        <button type="button" disabled={testing} onClick={() => void test()}>
          {testing ? 'Testing…' : 'Test connection'}
        </button>
      </p>
      <label>
        Default country
        <select value={draft.defaultCountry.toUpperCase()} aria-describedby="country-hint" onChange={(e) => setDraft({ ...draft, defaultCountry: e.target.value })}>
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name} ({c.code})
            </option>
          ))}
        </select>
      </label>
      <p id="country-hint" className="muted small">
        Numbers written without a country code are read as numbers of this country.
      </p>
      <label>
        Sites where detection is off
        <textarea
          rows={5}
          value={draft.disabledSites}
          aria-describedby="sites-hint"
          onChange={(e) => setDraft({ ...draft, disabledSites: e.target.value })}
        />
      </label>
      <p id="sites-hint" className="muted small">
        One host name per line; example.com also covers its subdomains.
      </p>
      <label className="checkbox">
        <input type="checkbox" checked={draft.takeOverTelLinks} onChange={(e) => setDraft({ ...draft, takeOverTelLinks: e.target.checked })} />
        Call tel: links with Click-to-call
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={draft.openCallerPageOnAnswer} onChange={(e) => setDraft({ ...draft, openCallerPageOnAnswer: e.target.checked })} />
        When I answer a caller the team called from a page before, open that page
      </label>
      <div>
        <button type="submit" className="primary">
          Save
        </button>
      </div>
      <h2>Calling without the page's chip</h2>
      <ul className="small">
        <li>
          Select a number on any page and press <kbd>Alt+Shift+C</kbd> (change it at chrome://extensions/shortcuts).
        </li>
        <li>Or right-click the selection and choose “Call &lt;selection&gt;”.</li>
        <li>Both show the number in an extension window first, where you confirm or cancel.</li>
      </ul>
      {message && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'notice notice-error' : 'notice'}>
          {message.text}
        </p>
      )}
    </form>
  );
}
