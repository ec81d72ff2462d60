// The options page's admin section for the team's phone numbers (the lines customers call, and the "Call from" choices):
// list, add, make default, remove, and in Twilio mode import the account's numbers. Shown only to admins.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { z } from 'zod';
import { phoneNumbersImportResponseSchema, phoneNumbersResponseSchema } from '../../shared/api.js';
import type { AuthInfo } from '../protocol/extension-messages.js';
import { BackendError, requestJson } from '../lib/backend-client.js';

type PhoneNumbers = z.infer<typeof phoneNumbersResponseSchema>['numbers'];

export function AdminNumbers({ getAuth, fetchImpl }: { getAuth: () => Promise<AuthInfo>; fetchImpl?: typeof fetch }) {
  const [numbers, setNumbers] = useState<PhoneNumbers | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [number, setNumber] = useState('');
  const [label, setLabel] = useState('');

  const call = useCallback(
    async <T,>(path: string, schema: z.ZodType<T>, options: { body?: unknown; method?: 'DELETE' } = {}): Promise<T> => {
      const auth = await getAuth();
      if (!auth.accessToken) throw new BackendError('Sign in first.', 401, null, 'sign-in');
      return requestJson({ backendUrl: auth.backendUrl, token: auth.accessToken, path, schema, fetchImpl, ...options });
    },
    [getAuth, fetchImpl],
  );
  const load = useCallback(async () => {
    try {
      setNumbers((await call('/api/admin/phone-numbers', phoneNumbersResponseSchema)).numbers);
    } catch {
      // Not an admin, signed out or no backend: the section is not for this person now.
      setNumbers(null);
    }
  }, [call]);
  useEffect(() => void load(), [load]);

  const run = async (action: () => Promise<string | null>) => {
    setError(null);
    setNotice(null);
    setBusy(true);
    try {
      setNotice(await action());
      await load();
    } catch (e) {
      setError(e instanceof BackendError ? e.message : 'That change could not be saved; try again.');
    } finally {
      setBusy(false);
    }
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    if (!number.trim()) return setError('Give the phone number, such as +14155550100.');
    void run(async () => {
      await call('/api/admin/phone-numbers', z.unknown(), { body: { number: number.trim(), label: label.trim() || undefined, isDefault: numbers?.length === 0 } });
      setNumber('');
      setLabel('');
      return null;
    });
  };
  const importFromTwilio = () =>
    void run(async () => {
      const result = await call('/api/admin/phone-numbers/import', phoneNumbersImportResponseSchema, { body: {} });
      const joined = result.imported.length === 1 ? '1 number joined' : `${result.imported.length} numbers joined`;
      const left = result.skipped.map((s) => `${s.e164}: ${s.reason}`).join(' ');
      return `${joined} from the Twilio account.${left ? ` Left out: ${left}` : ''}`;
    });

  if (!numbers) return null;
  return (
    <section aria-labelledby="admin-numbers" className="admin-numbers">
      <h2 id="admin-numbers">Phone numbers (admins)</h2>
      <p>Calls to these numbers ring the team&apos;s available agents; agents choose among them in Call from.</p>
      {numbers.length === 0 ? (
        <p>No numbers yet: calls go out from the server&apos;s TWILIO_PHONE_NUMBER, and nobody can call the team.</p>
      ) : (
        <ul className="rows" aria-label="Phone numbers">
          {numbers.map((n) => (
            <li key={n.e164} className="row">
              <span className="row-text">
                {n.e164}
                {n.label ? ` · ${n.label}` : ''}
                {n.isDefault ? ' · default' : ''}
              </span>
              {!n.isDefault && (
                <button type="button" disabled={busy} onClick={() => void run(async () => (await call('/api/admin/phone-numbers', z.unknown(), { body: { number: n.e164, label: n.label, isDefault: true } }), null))}>
                  Make {n.e164} the default
                </button>
              )}
              <button type="button" disabled={busy} onClick={() => void run(async () => (await call(`/api/admin/phone-numbers/${encodeURIComponent(n.e164)}`, z.unknown(), { method: 'DELETE' }), null))}>
                Remove {n.e164}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add} aria-label="Add a phone number">
        <label>
          Number
          <input value={number} maxLength={64} inputMode="tel" placeholder="+14155550100" onChange={(e) => setNumber(e.target.value)} />
        </label>
        <label>
          Label
          <input value={label} maxLength={60} placeholder="Main line" onChange={(e) => setLabel(e.target.value)} />
        </label>
        <button type="submit" disabled={busy}>
          Add number
        </button>
      </form>
      <button type="button" disabled={busy} onClick={importFromTwilio}>
        Import the Twilio account&apos;s numbers
      </button>
      {busy && <p role="status">Saving…</p>}
      {notice && <p role="status">{notice}</p>}
      {error && (
        <p role="alert" className="notice-error">
          {error}
        </p>
      )}
    </section>
  );
}
