import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsCurrencyCode, IsInstant } from '../../common/validation/decorators.js';
import { Optional } from '../../common/validation/optional.js';
import { PayerFieldsDto } from '../../payers/dto/payer-fields.dto.js';

/**
 * Whose invoice to preview: exactly one of customer / account (a subscription's customer may be
 * left out), and the window; with `subscription`, that subscription's current period instead.
 */
export class UpcomingInvoiceQueryDto extends PayerFieldsDto {
  /** Preview this subscription's current period (its overage invoice now, and its next base fee). */
  @ApiProperty({ required: false, example: 'sub_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  @Optional()
  @IsString()
  @Length(1, 64)
  subscription?: string;

  /** Window start, inclusive (ISO 8601); default: the end of the payer's latest billing invoice, else the start of the current UTC month. */
  @Optional()
  @IsInstant()
  start_date?: string;

  /** Window end, exclusive (ISO 8601), after start_date; default: now. */
  @Optional()
  @IsInstant()
  end_date?: string;

  /** Bill only metrics in this currency; default: the one currency the window's usage is in. */
  @Optional()
  @IsCurrencyCode()
  currency?: string;
}
