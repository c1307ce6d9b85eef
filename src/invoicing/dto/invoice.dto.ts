import { ApiProperty, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { ApiExactlyOne } from '../../common/http/openapi/api-contract.js';
import { pageQueryFor } from '../../common/pagination/page-query.dto.js';
import { IsCurrencyCode, IsInstant, IsNonNegativeDecimalString } from '../../common/validation/decorators.js';
import { IsMetadata, METADATA_LIMITS, type Metadata } from '../../common/validation/metadata.js';
import { PayerFieldsDto } from '../../payers/dto/payer-fields.dto.js';
import {
  COLLECTION_METHODS,
  type CollectionMethod,
  INVOICE_STATUSES,
  type InvoiceStatus,
} from '../domain/invoice-status.js';
import { Optional } from '../../common/validation/optional.js';

/** Who pays and how: exactly one of customer / account, and the collection method. */
class InvoicePayerDto extends PayerFieldsDto {
  @IsIn(COLLECTION_METHODS)
  collection_method!: CollectionMethod;

  /** One of the payer's payment methods (pm_…); default: the payer's default payment method. */
  @ApiProperty({ required: false, example: 'pm_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  @Optional()
  @IsString()
  @Length(1, 64)
  payment_method?: string;
}

@ApiExactlyOne(['customer', 'account'])
export class CreateBillingInvoiceDto extends InvoicePayerDto {
  /** Window start, inclusive (ISO 8601). */
  @IsInstant()
  start_date!: string;

  /** Window end, exclusive (ISO 8601), after start_date. */
  @IsInstant()
  end_date!: string;

  /** Bill only metrics in this currency; default: the one currency the payer's pending usage is in. */
  @Optional()
  @IsCurrencyCode()
  currency?: string;
}

@ApiExactlyOne(['customer', 'account'])
export class CreateInvoiceDto extends InvoicePayerDto {
  @IsCurrencyCode()
  currency!: string;

  @Optional()
  @IsString()
  @Length(0, 500)
  description?: string;

  /**
   * Up to 50 string keys (1 to 40 characters) with string values (at most 500 characters), the
   * merchant's own.
   */
  @ApiProperty({
    required: false,
    type: Object,
    additionalProperties: { type: 'string', maxLength: METADATA_LIMITS.maxValueLength },
    maxProperties: METADATA_LIMITS.maxKeys,
    example: { order: '1042' },
  })
  @Optional()
  @IsMetadata()
  metadata?: Metadata;
}

export class CreateInvoiceLineItemDto {
  /** A draft manual invoice (inv_…). */
  @ApiProperty({ example: 'inv_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  @IsString()
  @Length(1, 64)
  invoice!: string;

  @IsString()
  @Length(1, 500)
  description!: string;

  /** Default "1". */
  @Optional()
  @IsNonNegativeDecimalString({ example: '2' })
  quantity?: string;

  /** The price of one unit in the invoice's currency; the amount is rounded once to its minor unit. */
  @IsNonNegativeDecimalString({ example: '12.50' })
  unit_amount!: string;
}

/** Invoices filtered by payer (at most one of customer / account) and status. */
export class ListInvoicesQueryDto extends IntersectionType(pageQueryFor('invoice'), PayerFieldsDto) {
  @ApiProperty({ required: false, enum: INVOICE_STATUSES })
  @Optional()
  @IsIn(INVOICE_STATUSES)
  status?: InvoiceStatus;
}

export class PayInvoiceDto {
  /** Charge this payment method of the payer instead (pm_…). */
  @ApiProperty({ required: false, example: 'pm_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  @Optional()
  @IsString()
  @Length(1, 64)
  payment_method?: string;
}
