import { ApiExtraModels, ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ApiExactlyOne } from '../../common/http/openapi/api-contract.js';
import { idPattern, pageQueryFor } from '../../common/pagination/page-query.dto.js';
import { IsCurrencyCode, IsInstant, IsNonNegativeDecimalString } from '../../common/validation/decorators.js';
import { PayerFieldsDto } from '../../payers/dto/payer-fields.dto.js';
import type { CreditGrantStatus } from '../credit-grant.entity.js';
import { CREDIT_GRANT_STATUSES } from './credit-grant-resource.dto.js';
import { nullableRef, type Nullable } from '../../common/http/openapi/nullable.js';
import { Optional } from '../../common/validation/optional.js';

export const PRIORITY_RANGE = { min: -1000, max: 1000 } as const;

/**
 * A non-negative decimal text (as IsNonNegativeDecimalString takes it) that is at most 100:
 * up to 2 integer digits after any leading zeros, or 100 with a zero fraction. The service checks
 * `threshold.percent` with this same expression, so the document states the check exactly.
 */
export const THRESHOLD_PERCENT_PATTERN = '^(?:0{0,28}\\d{1,2}(?:\\.\\d{1,18})?|0{0,27}100(?:\\.0{1,18})?)$';

/**
 * An amount that must be more than zero: a decimal text with a non-zero digit. (Its minor units
 * must also fit the request's currency, which no schema of this one field can say.)
 */
const POSITIVE = { not: { pattern: '^[0.]*$' } };

@ApiExactlyOne(['customer', 'account'])
export class CreateCreditGrantDto extends PayerFieldsDto {
  /**
   * The amount granted, in the currency's major unit ("10.00"): more than zero, and in whole minor
   * units of `currency` (at most 2 decimals for usd, none for jpy; 400 `amount_invalid`).
   */
  @ApiProperty(POSITIVE)
  @IsNonNegativeDecimalString({ example: '10.00' })
  amount!: string;

  @IsCurrencyCode()
  currency!: string;

  /** When what is left expires (ISO 8601, in the future: else 400 `expires_at_invalid`); default: never. */
  @Optional()
  @IsInstant()
  expires_at?: string;

  /** Higher is drawn first (default 0; null: the default). */
  @ApiPropertyOptional({
    type: 'integer',
    minimum: PRIORITY_RANGE.min,
    maximum: PRIORITY_RANGE.max,
    nullable: true,
    example: 10,
  })
  @IsOptional()
  @IsInt()
  @Min(PRIORITY_RANGE.min)
  @Max(PRIORITY_RANGE.max)
  priority?: number | null;

  /** Shown on the grant (and on the invoice line of a paid one); null: none. */
  @IsOptional()
  @IsString()
  @Length(0, 500)
  description?: string | null;

  /** true: the payer buys it (invoiced and charged; drawable once paid); false: a free grant, drawable now. */
  @IsBoolean()
  paid!: boolean;

  /**
   * For a paid grant: the payer's payment method to charge (`pm_…`; default, and with null: its
   * default payment method). Ignored for a free grant.
   */
  @ApiPropertyOptional({ example: 'pm_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  payment_method?: string | null;
}

/** Whose credits: exactly one of customer_id / account_id (checked by the service). */
export class CreditPayerQueryDto {
  /** The customer (`cus_…`); give this or account_id. */
  @ApiPropertyOptional({ example: 'cus_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  @Optional()
  @IsString()
  @Length(1, 64)
  customer_id?: string;

  /** The account (`acct_…`); give this or customer_id. */
  @ApiPropertyOptional({ example: 'acct_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  @Optional()
  @IsString()
  @Length(1, 64)
  account_id?: string;

  /** Only this currency's credits. */
  @Optional()
  @IsCurrencyCode()
  currency?: string;
}

export class ListCreditGrantsQueryDto extends IntersectionType(
  CreditPayerQueryDto,
  pageQueryFor('creditGrant'),
) {
  /** Only grants in this status. */
  @ApiPropertyOptional({ enum: CREDIT_GRANT_STATUSES })
  @Optional()
  @IsIn(CREDIT_GRANT_STATUSES)
  status?: CreditGrantStatus;
}

export class ListCreditLedgerQueryDto extends IntersectionType(
  CreditPayerQueryDto,
  pageQueryFor('creditLedgerEntry'),
) {
  /** Only the entries of this grant (`cg_…`). */
  @ApiPropertyOptional({ type: 'string', pattern: idPattern('creditGrant') })
  @Optional()
  @IsString()
  @Matches(new RegExp(idPattern('creditGrant')))
  grant?: string;
}

/** Exactly one of percent / amount (the service refuses both with 400 `threshold_invalid`). */
@ApiExactlyOne(['percent', 'amount'])
export class ThresholdDto {
  /** A share of the granted amount left, from 0 to 100, e.g. "20" (percent; over 100: 400 `threshold_invalid`). */
  @ApiProperty({ pattern: THRESHOLD_PERCENT_PATTERN, example: '20', required: false })
  @ValidateIf((o: ThresholdDto) => o.amount === undefined)
  @IsNonNegativeDecimalString()
  percent?: string;

  /** An absolute balance, e.g. "5.00". */
  @ApiProperty({ example: '5.00', required: false })
  @ValidateIf((o: ThresholdDto) => o.percent === undefined)
  @IsNonNegativeDecimalString()
  amount?: string;
}

export class AutoTopUpDto {
  /** Buy when the balance falls to this amount or below. */
  @IsNonNegativeDecimalString({ example: '2.00' })
  threshold!: string;

  /**
   * How much to buy (a paid grant, charged to the payer's default payment method): more than
   * zero, in whole minor units of `currency` (400 `amount_invalid`).
   */
  @ApiProperty(POSITIVE)
  @IsNonNegativeDecimalString({ example: '20.00' })
  amount!: string;
}

@ApiExactlyOne(['customer', 'account'])
@ApiExtraModels(ThresholdDto, AutoTopUpDto)
export class UpdateCreditSettingsDto extends PayerFieldsDto {
  @IsCurrencyCode()
  currency!: string;

  /** When `billing.threshold.approaching` fires; default 20 % of the granted amount. Absent or null: unchanged. */
  @ApiPropertyOptional(nullableRef(ThresholdDto))
  @IsOptional()
  @ValidateNested()
  @Type(() => ThresholdDto)
  threshold?: Nullable<ThresholdDto>;

  /** Buy credits automatically when they run low; null turns it off; absent: unchanged. */
  @ApiPropertyOptional(nullableRef(AutoTopUpDto))
  @IsOptional()
  @ValidateNested()
  @Type(() => AutoTopUpDto)
  auto_top_up?: Nullable<AutoTopUpDto>;
}
