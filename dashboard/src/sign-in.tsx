import { useState } from 'preact/hooks';
import { TallyApiError } from '../../sdk/src/index.js';
import { clientFor, messageOf, storeKey } from './session.js';

/** Asks for a secret key, checks it with one cheap call, and keeps it for this tab's session. */
export function SignIn({ onSignedIn }: { onSignedIn: (key: string) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const candidate = key.trim();
    setBusy(true);
    setError(null);
    try {
      await clientFor(candidate).metrics.list({ limit: 1 }).page();
      storeKey(candidate);
      onSignedIn(candidate);
    } catch (failure) {
      setError(
        failure instanceof TallyApiError && failure.status === 401
          ? 'That key was not accepted. Check it and try again.'
          : `Could not sign in: ${messageOf(failure)}`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <h1>Sign in to Tally</h1>
      <p>Your secret key stays in this browser tab only, and is forgotten when you close it.</p>
      <form onSubmit={(event) => void submit(event)}>
        <label for="api-key">Secret key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autocomplete="off"
          spellcheck={false}
          required
          placeholder="sk_test_…"
          value={key}
          onInput={(event) => setKey(event.currentTarget.value)}
          aria-describedby={error ? 'sign-in-error' : undefined}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p id="sign-in-error" role="alert" class="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
