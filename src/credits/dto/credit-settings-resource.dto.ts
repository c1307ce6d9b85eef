import { ApiExtraModels, ApiProperty, type ApiPropertyOptions, getSchemaPath } from '@nestjs/swagger';
import { nullableRef, type Nullable } from '../../common/http/openapi/nullable.js';

/** A threshold at a share of the granted amount left. */
export class CreditThresholdPercent {
  /** Percent of the granted amount, from 0 to 100 ("20"). */
  @ApiProperty({ example: '20' })
  percent!: string;
}

/** A threshold at an absolute balance. */
export class CreditThresholdAmount {
  /** In the currency's major unit ("5.00"). */
  @ApiProperty({ example: '5.00' })
  amount!: string;
}

export type CreditThreshold = CreditThresholdPercent | CreditThresholdAmount;

/** The threshold property: one of the two shapes (each has exactly its one field, and is closed). */
const THRESHOLD: ApiPropertyOptions = {
  oneOf: [{ $ref: getSchemaPath(CreditThresholdPercent) }, { $ref: getSchemaPath(CreditThresholdAmount) }],
  description:
    'When `billing.threshold.approaching` fires: `{ percent }` of the granted amount, or `{ amount }`.',
};

/** Buying credits automatically when they run low. */
export class CreditAutoTopUp {
  /** Buy when the balance falls to this amount or below. */
  @ApiProperty({ example: '2.00' })
  threshold!: string;

  /** How much each top-up buys (a paid grant charged to the payer's default payment method). */
  @ApiProperty({ example: '20.00' })
  amount!: string;
}

/** A payer's credit settings in one currency, and its balance. */
@ApiExtraModels(CreditThresholdPercent, CreditThresholdAmount, CreditAutoTopUp)
export class CreditSettings {
  object!: 'credit_settings';

  customer!: string | null;

  account!: string | null;

  /** ISO 4217, lower case. */
  currency!: string;

  /** The balance drawable now. */
  @ApiProperty({ example: '7.50' })
  balance!: string;

  @ApiProperty(THRESHOLD)
  threshold!: CreditThreshold;

  /** Null: no automatic top-up. */
  @ApiProperty(nullableRef(CreditAutoTopUp))
  auto_top_up!: Nullable<CreditAutoTopUp>;
}

/** How much of a payer's credits in one currency is used, against the threshold. */
@ApiExtraModels(CreditThresholdPercent, CreditThresholdAmount)
export class CreditThresholdProgress {
  object!: 'threshold_progress';

  customer!: string | null;

  account!: string | null;

  /** ISO 4217, lower case. */
  currency!: string;

  /** What the active grants granted since the balance last ran out. */
  @ApiProperty({ example: '10.00' })
  granted!: string;

  /** `granted` − `remaining`. */
  @ApiProperty({ example: '2.50' })
  consumed!: string;

  /** The balance drawable now. */
  @ApiProperty({ example: '7.50' })
  remaining!: string;

  /** `consumed` / `granted` × 100, two decimals ("25.00"; "0.00" when nothing was granted). */
  @ApiProperty({ example: '25.00' })
  percent_used!: string;

  @ApiProperty(THRESHOLD)
  threshold!: CreditThreshold;

  /** The threshold as money: the balance at or below which it counts as crossed (rounded down to minor units). */
  @ApiProperty({ example: '2.00' })
  threshold_amount!: string;

  /** Whether the balance is at or below `threshold_amount` (never when nothing was granted). */
  crossed!: boolean;

  /** The span of recent draws the burn rate is measured over. */
  burn_rate_window_seconds!: number;

  /** ISO 8601; when the balance runs out at the recent burn rate. Null when nothing was drawn in the window or nothing is left. */
  projected_depletion_at!: string | null;
}
