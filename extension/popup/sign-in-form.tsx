// The sign-in form: an email and a password field; Enter submits; failures are shown as sentences.
import { useState, type FormEvent } from 'react';
import type { CallErrorAction } from '../protocol/softphone.js';
import { ErrorNotice } from './error-notice.js';
import type { PopupApi } from './popup-api.js';

export function SignInForm({ api }: { api: PopupApi }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; action: CallErrorAction } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await api.signIn(email, password);
    setBusy(false);
    if (!result.ok) setError({ message: result.error, action: result.action });
  };

  return (
    <form className="sign-in" aria-label="Sign in" onSubmit={(e) => void submit(e)}>
      <h1>Sign in to call</h1>
      <label>
        Email
        <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label>
        Password
        <input
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      {error && <ErrorNotice message={error.message} action={error.action} api={api} />}
      <button type="button" className="link" onClick={() => void api.openOptions()}>
        Backend address and options
      </button>
    </form>
  );
}
