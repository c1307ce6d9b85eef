import { IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { pageQueryFor } from '../../common/pagination/page-query.dto.js';
import { IsCurrencyCode, IsInstant, IsNonNegativeDecimalString } from '../../common/validation/decorators.js';
import { PayerFieldsDto } from '../../payers/dto/payer-fields.dto.js';

export class CreateCreditGrantDto extends PayerFieldsDto {
  /** The amount granted, in the currency's major unit ("10.00"); more than zero, whole minor units. */
  @IsNonNegativeDecimalString()
  amount!: string;

  @IsCurrencyCode()
  currency!: string;

  /** When what is left expires (ISO 8601, in the future); default: never. */
  @IsOptional()
  @IsInstant()
  expires_at?: string;

  /** Higher is drawn first (default 0). */
  @IsOptional()
  @IsInt()
  @Min(-1000)
  @Max(1000)
  priority?: number;

  @IsOptional()
  @IsString()
  @Length(0, 500)
  description?: string;

  /** true: the payer buys it (invoiced and charged; drawable once paid); false: a free grant, drawable now. */
  @IsBoolean()
  paid!: boolean;

  /** For a paid grant: the payer's payment method to charge (default: its default payment method). */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  payment_method?: string;
}

/** Whose credits: exactly one of customer_id / account_id (checked by the service). */
export class CreditPayerQueryDto {
  @IsOptional()
  @IsString()
  customer_id?: string;

  @IsOptional()
  @IsString()
  account_id?: string;

  @IsOptional()
  @IsCurrencyCode()
  currency?: string;
}

export class ListCreditGrantsQueryDto extends IntersectionType(
  CreditPayerQueryDto,
  pageQueryFor('creditGrant'),
) {
  @IsOptional()
  @IsIn(['pending', 'active', 'expired', 'voided'])
  status?: 'pending' | 'active' | 'expired' | 'voided';
}

export class ListCreditLedgerQueryDto extends IntersectionType(
  CreditPayerQueryDto,
  pageQueryFor('creditLedgerEntry'),
) {
  @IsOptional()
  @IsString()
  grant?: string;
}

export class ThresholdDto {
  /** A share of the granted amount left, e.g. "20" (percent). */
  @ValidateIf((o: ThresholdDto) => o.amount === undefined)
  @IsNonNegativeDecimalString()
  percent?: string;

  /** An absolute balance, e.g. "5.00". */
  @ValidateIf((o: ThresholdDto) => o.percent === undefined)
  @IsNonNegativeDecimalString()
  amount?: string;
}

export class AutoTopUpDto {
  /** Buy when the balance falls to this amount or below. */
  @IsNonNegativeDecimalString()
  threshold!: string;

  /** How much to buy (a paid grant, charged to the payer's default payment method). */
  @IsNonNegativeDecimalString()
  amount!: string;
}

export class UpdateCreditSettingsDto extends PayerFieldsDto {
  @IsCurrencyCode()
  currency!: string;

  /** When `billing.threshold.approaching` fires; default 20 % of the granted amount. */
  @IsOptional()
  @ValidateNested()
  @Type(() => ThresholdDto)
  threshold?: ThresholdDto;

  /** Buy credits automatically when they run low; null turns it off. */
  @IsOptional()
  @ValidateNested()
  @Type(() => AutoTopUpDto)
  auto_top_up?: AutoTopUpDto | null;
}
