import { ApiProperty } from '@nestjs/swagger';
import { CreditThresholdProgress } from '../../credits/dto/credit-settings-resource.dto.js';
import {
  MetricUsagePeriod,
  UsageReportMetric,
  UsageReportTotal,
} from '../../usage/dto/usage-report-resource.dto.js';

/** A customer portal session: `url` opens the payer's billing page until `expires_at`. */
export class PortalSession {
  /** The session's id (`ps_…`). */
  @ApiProperty({ example: 'ps_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  id!: string;

  object!: 'portal_session';

  /** The customer the portal shows (`cus_…`); null when it shows an account. */
  customer!: string | null;

  /** The account the portal shows (`acct_…`); null when it shows a customer. */
  account!: string | null;

  /**
   * The portal page, `<PUBLIC_URL>/portal#token=pst_…`: the token is in the fragment, which a
   * browser never sends to a server. Shown once: Tally stores only the token's SHA-256.
   */
  @ApiProperty({ example: 'https://billing.example.com/portal#token=pst_…' })
  url!: string;

  /** Where the portal's "back" link goes; null: none. */
  @ApiProperty({ type: 'string', nullable: true, example: 'https://example.com/account' })
  return_url!: string | null;

  /** ISO 8601; the URL and its token stop working at this instant. */
  expires_at!: string;

  /** ISO 8601. */
  created!: string;
}

/** The session a portal token opens, for the portal page's header. */
export class PortalSessionSummary {
  /** The session's id (`ps_…`). */
  @ApiProperty({ example: 'ps_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  id!: string;

  object!: 'portal_session_summary';

  customer!: string | null;

  account!: string | null;

  /** The payer's name; null when it has none. */
  payer_name!: string | null;

  /** The merchant's name. */
  merchant_name!: string;

  @ApiProperty({ type: 'string', nullable: true, example: 'https://example.com/account' })
  return_url!: string | null;

  /** ISO 8601. */
  expires_at!: string;
}

/** One metric's usage this period, with a chart's series. */
export class PortalUsageMetric extends UsageReportMetric {
  /** Every period of the window, oldest first (empty ones too), in `window_size` steps. */
  @ApiProperty({ type: () => [MetricUsagePeriod] })
  series!: MetricUsagePeriod[];
}

/** The payer's usage this period: per metric, priced, with hourly or daily series for a chart. */
export class PortalUsage {
  object!: 'portal_usage';

  customer!: string | null;

  account!: string | null;

  /** Which period: the payer's current subscription period, or (without one) the current UTC month so far. */
  @ApiProperty({ enum: ['subscription_period', 'calendar_month'] })
  period!: 'subscription_period' | 'calendar_month';

  /** ISO 8601; inclusive. */
  start!: string;

  /** ISO 8601; exclusive: now, or the period's end if that came first. */
  end!: string;

  /** The series' step: `hour` for a window of up to 2 days, else `day`. */
  @ApiProperty({ enum: ['hour', 'day'] })
  window_size!: 'hour' | 'day';

  @ApiProperty({ type: () => [PortalUsageMetric] })
  metrics!: PortalUsageMetric[];

  @ApiProperty({ type: () => [UsageReportTotal] })
  totals!: UsageReportTotal[];
}

/** The payer's credits: the threshold progress and projected depletion in each currency it has credits in. */
export class PortalCredits {
  object!: 'portal_credits';

  customer!: string | null;

  account!: string | null;

  /** One entry per currency (empty when the payer has no credits). */
  @ApiProperty({ type: () => [CreditThresholdProgress] })
  data!: CreditThresholdProgress[];
}
