import type { Tally, components } from '../../sdk/src/index.js';
import { money, when } from './format.js';
import { useAnswer } from './use-answer.js';
import { ScrollTable } from './scroll-table.js';

type Balance = components['schemas']['CreditGrantListBalance'];
type Progress = components['schemas']['CreditThresholdProgress'];
type Entry = components['schemas']['CreditLedgerEntry'];

type Currency = NonNullable<Parameters<Tally['reports']['thresholdProgress']>[0]['currency']>;

const LEDGER_PAGE = 20;

interface Credits {
  balances: Balance[];
  /** Threshold progress per currency the customer has credits in. */
  progress: Progress[];
  ledger: { data: Entry[]; has_more: boolean };
}

async function creditsOf(tally: Tally, customer: string): Promise<Credits> {
  const [grants, ledger] = await Promise.all([
    tally.credits.list({ customer_id: customer, limit: 1 }).page(),
    tally.credits.ledger({ customer_id: customer, limit: LEDGER_PAGE }).page(),
  ]);
  const { balances } = grants as unknown as { balances: Balance[] };
  // Asked only per currency it has: a customer without credits has no progress (the route answers 404).
  const progress = await Promise.all(
    balances.map((balance) =>
      tally.reports.thresholdProgress({
        customer_id: customer,
        currency: balance.currency as Currency,
      }),
    ),
  );
  return { balances, progress, ledger: ledger as Credits['ledger'] };
}

/** The customer's prepaid credits: balance, threshold progress with the projected depletion, the ledger. */
export function CustomerCredits({ tally, customer }: { tally: Tally; customer: string }) {
  const { value: credits, error } = useAnswer(() => creditsOf(tally, customer), [tally, customer]);

  return (
    <section aria-labelledby="customer-credits-title">
      <h2 id="customer-credits-title">Credits</h2>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {!credits && !error && <p aria-live="polite">Loading…</p>}
      {credits && credits.balances.length === 0 && <p>No credits: this customer has never had a grant.</p>}
      {credits?.progress.map((progress) => (
        <Progress
          progress={progress}
          balance={credits.balances.find((b) => b.currency === progress.currency)}
        />
      ))}
      {credits && credits.balances.length > 0 && <Ledger ledger={credits.ledger} />}
    </section>
  );
}

function Progress({ progress, balance }: { progress: Progress; balance: Balance | undefined }) {
  const currency = progress.currency;
  return (
    <dl class="totals customer-credits" aria-label={`Credits in ${currency.toUpperCase()}`}>
      <Fact term="Balance" value={money(balance?.available ?? progress.remaining, currency)} />
      {balance && Number(balance.pending) !== 0 && (
        <Fact term="Pending (awaiting payment)" value={money(balance.pending, currency)} />
      )}
      <Fact term="Granted" value={money(progress.granted, currency)} />
      <Fact term="Consumed" value={money(progress.consumed, currency)} />
      <div>
        <dt>Used</dt>
        <dd>
          <meter
            min={0}
            max={100}
            value={Number(progress.percent_used)}
            aria-label={`${progress.percent_used} % of the granted credits used`}
          />{' '}
          {progress.percent_used} %
        </dd>
      </div>
      <Fact
        term="Threshold"
        value={`${money(progress.threshold_amount, currency)}${progress.crossed ? ' (crossed)' : ''}`}
      />
      <div>
        <dt>Projected depletion</dt>
        <dd class="customer-depletion">
          {progress.projected_depletion_at ? (
            <time dateTime={progress.projected_depletion_at}>{when(progress.projected_depletion_at)}</time>
          ) : (
            'No recent draws to project from'
          )}
        </dd>
      </div>
    </dl>
  );
}

function Ledger({ ledger }: { ledger: Credits['ledger'] }) {
  if (ledger.data.length === 0) return <p>No ledger entries yet.</p>;
  return (
    <>
      <h3>Ledger</h3>
      <p class="note">Newest first{ledger.has_more ? `: the latest ${ledger.data.length} entries` : ''}.</p>
      <ScrollTable label="Credit ledger table" caption="Credit ledger, newest first" class="customer-ledger">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Kind</th>
            <th scope="col">Amount</th>
            <th scope="col">Balance after</th>
            <th scope="col">Grant</th>
          </tr>
        </thead>
        <tbody>
          {ledger.data.map((entry) => (
            <tr>
              <th scope="row">{when(entry.created_at)}</th>
              <td>{entry.kind}</td>
              <td>{money(entry.amount, entry.currency)}</td>
              <td>{money(entry.balance_after, entry.currency)}</td>
              <td>
                <code>{entry.grant}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
    </>
  );
}

function Fact({ term, value }: { term: string; value: string }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}
