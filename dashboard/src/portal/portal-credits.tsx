import type { components, Tally } from '../../../sdk/src/index.js';
import { money, when } from '../format.js';
import { Pending, type Refused, usePortalRead } from './portal-read.js';
import { answerOf } from './token.js';

type Progress = components['schemas']['CreditThresholdProgress'];

/** Credits remaining in each currency, the threshold that warns, and when they would run out. */
export function PortalCreditsSection({
  tally,
  onRefused,
}: {
  tally: Tally;
  onRefused: (why: Refused) => void;
}) {
  const credits = usePortalRead(
    tally,
    (client) => answerOf(client.client.GET('/v1/portal/credits')),
    onRefused,
  );
  return (
    <section aria-labelledby="portal-credits-title">
      <h2 id="portal-credits-title">Credits</h2>
      {!credits.data ? (
        <Pending read={credits} what="credits" />
      ) : credits.data.data.length === 0 ? (
        <p>You have no credits.</p>
      ) : (
        credits.data.data.map((progress) => <CreditBalance progress={progress} />)
      )}
    </section>
  );
}

/** The balance at or below which the payer is warned (a percent threshold is of the granted amount). */
function thresholdText(progress: Progress): string {
  const threshold = progress.threshold as { percent?: unknown } | null;
  const amount = `${money(progress.threshold_amount, progress.currency)} left`;
  return threshold?.percent !== undefined ? `${amount} (${String(threshold.percent)}% of granted)` : amount;
}

function CreditBalance({ progress }: { progress: Progress }) {
  return (
    <dl
      class="totals portal-credits"
      data-currency={progress.currency}
      aria-label={`Credits in ${progress.currency.toUpperCase()}`}
    >
      <div>
        <dt>Remaining</dt>
        <dd>{money(progress.remaining, progress.currency)}</dd>
      </div>
      <div>
        <dt>Granted</dt>
        <dd>{money(progress.granted, progress.currency)}</dd>
      </div>
      <div>
        <dt>Used</dt>
        <dd>{progress.percent_used}%</dd>
      </div>
      <div>
        <dt>Warning threshold</dt>
        <dd>
          {thresholdText(progress)}
          {progress.crossed ? ' · reached' : ''}
        </dd>
      </div>
      <div>
        <dt>Projected to run out</dt>
        <dd>
          {progress.projected_depletion_at ? when(progress.projected_depletion_at) : 'Not at the recent rate'}
        </dd>
      </div>
    </dl>
  );
}
