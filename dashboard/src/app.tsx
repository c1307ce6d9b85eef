import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Tally } from '../../sdk/src/index.js';
import { CustomerPage } from './customer.js';
import { CustomersPage } from './customers.js';
import { EventsPage } from './events.js';
import { HealthPage } from './health.js';
import { InvoicePage } from './invoice.js';
import { InvoicesPage } from './invoices.js';
import { linkTo, navigate, useRoute } from './router.js';
import { clientFor, forgetKey, loadConfig, storedKey, type DashboardConfig } from './session.js';
import { SignIn } from './sign-in.js';
import { UsagePage } from './usage.js';
import { WebhooksPage } from './webhooks.js';

const TITLES: Record<string, string> = {
  usage: 'Usage',
  customers: 'Customers',
  invoices: 'Invoices',
  events: 'Events',
  webhooks: 'Webhooks',
  health: 'Pipeline health',
};

interface PageProps {
  tally: Tally;
  config: DashboardConfig | null;
  /** The rest of the route below the section ("cus_…" in customers/cus_…), decoded; '' for the list. */
  id: string;
}

/** Each section's page: its list at `<section>`, one item at `<section>/<id>` where it has one. */
function Page({ section, ...props }: PageProps & { section: string }) {
  switch (section) {
    case 'customers':
      return props.id ? <CustomerPage {...props} /> : <CustomersPage {...props} />;
    case 'invoices':
      return props.id ? <InvoicePage {...props} /> : <InvoicesPage {...props} />;
    case 'events':
      return <EventsPage {...props} />;
    case 'webhooks':
      return <WebhooksPage {...props} />;
    case 'health':
      return <HealthPage {...props} />;
    default:
      return <UsagePage {...props} />;
  }
}

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
  const id = decodeURIComponent(route.slice(section.length + 1));
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
        <Page section={section} tally={tally} config={config} id={id} />
      </main>
    </>
  );
}
