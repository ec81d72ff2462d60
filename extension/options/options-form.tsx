// The options page: backend URL, default country, sites where detection is off, and whether tel: links are taken over.
import { useEffect, useState, type FormEvent } from 'react';
import { countryCodeSchema } from '../../shared/api.js';
import { isLoopbackHost } from '../../shared/options.js';
import { needsHostPermission, type OptionsStore } from './options-storage.js';

interface Draft {
  backendUrl: string;
  defaultCountry: string;
  disabledSites: string;
  takeOverTelLinks: boolean;
}

/** Checks a draft; returns the options to save or the sentence saying what to fix. */
export function validateDraft(draft: Draft): { ok: true; url: URL; defaultCountry: string; disabledSites: string[] } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(draft.backendUrl.trim());
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

export function OptionsForm({ store }: { store: OptionsStore }) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  useEffect(() => {
    void store.load().then((o) =>
      setDraft({ backendUrl: o.backendUrl, defaultCountry: o.defaultCountry, disabledSites: o.disabledSites.join('\n'), takeOverTelLinks: o.takeOverTelLinks }),
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
    await store.save({
      backendUrl: checked.url.href.replace(/\/$/, ''),
      defaultCountry: checked.defaultCountry,
      disabledSites: checked.disabledSites,
      takeOverTelLinks: draft.takeOverTelLinks,
    });
    setMessage({ kind: 'ok', text: 'Options saved.' });
  };

  return (
    <form aria-label="Options" noValidate onSubmit={(e) => void submit(e)}>
      <h1>Click-to-call options</h1>
      <label>
        Backend URL
        <input type="url" value={draft.backendUrl} onChange={(e) => setDraft({ ...draft, backendUrl: e.target.value })} />
      </label>
      <label>
        Default country
        <input
          value={draft.defaultCountry}
          maxLength={2}
          aria-describedby="country-hint"
          onChange={(e) => setDraft({ ...draft, defaultCountry: e.target.value })}
        />
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
      <div>
        <button type="submit" className="primary">
          Save
        </button>
      </div>
      {message && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'notice notice-error' : 'notice'}>
          {message.text}
        </p>
      )}
    </form>
  );
}
