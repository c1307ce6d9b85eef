import { useEffect, useMemo, useState } from 'preact/hooks';
import type { components, Tally } from '../../../sdk/src/index.js';
import { when } from '../format.js';
import { PortalCreditsSection } from './portal-credits.js';
import { PortalInvoicesSection, PortalUpcomingSection } from './portal-invoices.js';
import { Pending, type Refused, usePortalRead } from './portal-read.js';
import { PortalUsageSection } from './portal-usage.js';
import { answerOf, portalClient, takeToken } from './token.js';

type Summary = components['schemas']['PortalSessionSummary'];

/**
 * The customer portal: one payer's billing, opened by the link a merchant made for it
 * (`/portal#token=pst_…`). A link that is unknown or past its expiry shows a refusal and nothing else.
 */
export function PortalApp() {
  const token = useMemo(takeToken, []);
  const tally = useMemo(() => (token ? portalClient(token) : null), [token]);
  const [refused, setRefused] = useState<Refused | null>(token ? null : 'invalid');

  useEffect(() => {
    if (refused)
      document.title = refused === 'expired' ? 'Link expired · Billing' : 'Link not valid · Billing';
  }, [refused]);

  if (refused || !tally) return <Refusal why={refused ?? 'invalid'} />;
  return <Portal tally={tally} onRefused={setRefused} />;
}

function Refusal({ why }: { why: Refused }) {
  return (
    <main id="main" class="portal-refusal">
      <h1>{why === 'expired' ? 'This link has expired' : 'This link is not valid'}</h1>
      <p>
        {why === 'expired'
          ? 'Billing links work for a short time only, to keep your account private.'
          : 'It may be incomplete, or it was replaced by a newer link.'}{' '}
        Please request a new link from the business that sent it to you.
      </p>
    </main>
  );
}

function Portal({ tally, onRefused }: { tally: Tally; onRefused: (why: Refused) => void }) {
  const session = usePortalRead(
    tally,
    (client) => answerOf(client.client.GET('/v1/portal/session')),
    onRefused,
  );
  useEffect(() => {
    if (session.data) document.title = `Billing · ${session.data.merchant_name}`;
  }, [session.data]);
  if (!session.data)
    return (
      <main id="main">
        <h1>Billing</h1>
        <Pending read={session} what="your billing" />
      </main>
    );
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <PortalHeader session={session.data} />
      <main id="main" tabIndex={-1}>
        <h1>Billing for {session.data.payer_name ?? 'your account'}</h1>
        <p class="note">This page is private to you; its link works until {when(session.data.expires_at)}.</p>
        <PortalUsageSection tally={tally} onRefused={onRefused} />
        <PortalCreditsSection tally={tally} onRefused={onRefused} />
        <PortalUpcomingSection tally={tally} onRefused={onRefused} />
        <PortalInvoicesSection tally={tally} onRefused={onRefused} />
      </main>
    </>
  );
}

function PortalHeader({ session }: { session: Summary }) {
  return (
    <header class="top">
      <span class="brand">{session.merchant_name}</span>
      {session.return_url && (
        <a class="portal-back" href={session.return_url} rel="noreferrer">
          ← Back
        </a>
      )}
    </header>
  );
}
