import { useEffect, useMemo, useState } from 'preact/hooks';
import { InvoicePage } from './invoice.js';
import { InvoicesPage } from './invoices.js';
import { linkTo, navigate, useRoute } from './router.js';
import { clientFor, forgetKey, loadConfig, storedKey, type DashboardConfig } from './session.js';
import { SignIn } from './sign-in.js';
import { UsagePage } from './usage.js';

const TITLES: Record<string, string> = { usage: 'Usage', invoices: 'Invoices' };

export function App() {
  const [key, setKey] = useState(storedKey());
  const [config, setConfig] = useState<DashboardConfig | null>(null);
  const route = useRoute();
  const tally = useMemo(() => (key ? clientFor(key) : null), [key]);
  useEffect(() => {
    loadConfig().then(setConfig, () => setConfig({ temporalUiUrl: '', namespace: 'default' }));
  }, []);
  const section = route.split('/')[0] || 'usage';
  useEffect(() => {
    document.title = tally ? `${TITLES[section] ?? 'Tally'} · Tally dashboard` : 'Sign in · Tally dashboard';
  }, [tally, section]);

  if (!tally) return <SignIn onSignedIn={setKey} />;
  const signOut = () => {
    forgetKey();
    setKey(null);
    navigate('');
  };
  const invoiceId = route.startsWith('invoices/')
    ? decodeURIComponent(route.slice('invoices/'.length))
    : null;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Tally</span>
        <nav aria-label="Sections">
          {Object.entries(TITLES).map(([path, title]) => (
            <a {...linkTo(path)} aria-current={section === path ? 'page' : undefined}>
              {title}
            </a>
          ))}
        </nav>
        <button type="button" class="quiet" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {invoiceId ? (
          <InvoicePage tally={tally} id={invoiceId} config={config} />
        ) : section === 'invoices' ? (
          <InvoicesPage tally={tally} />
        ) : (
          <UsagePage tally={tally} />
        )}
      </main>
    </>
  );
}
