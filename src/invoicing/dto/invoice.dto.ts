import { IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { pageQueryFor } from '../../common/pagination/page-query.dto.js';
import { IsCurrencyCode, IsInstant, IsNonNegativeDecimalString } from '../../common/validation/decorators.js';
import { IsMetadata, type Metadata } from '../../common/validation/metadata.js';
import { PayerFieldsDto } from '../../payers/dto/payer-fields.dto.js';
import {
  COLLECTION_METHODS,
  type CollectionMethod,
  INVOICE_STATUSES,
  type InvoiceStatus,
} from '../domain/invoice-status.js';

/** Who pays and how: exactly one of customer / account, and the collection method. */
class InvoicePayerDto extends PayerFieldsDto {
  @IsIn(COLLECTION_METHODS)
  collection_method!: CollectionMethod;

  /** One of the payer's payment methods (pm_…); default: the payer's default payment method. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  payment_method?: string;
}

export class CreateBillingInvoiceDto extends InvoicePayerDto {
  /** Window start, inclusive (ISO 8601). */
  @IsInstant()
  start_date!: string;

  /** Window end, exclusive (ISO 8601), after start_date. */
  @IsInstant()
  end_date!: string;

  /** Bill only metrics in this currency; default: the one currency the payer's pending usage is in. */
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;
}

export class CreateInvoiceDto extends InvoicePayerDto {
  @IsCurrencyCode()
  currency!: string;

  @IsOptional()
  @IsString()
  @Length(0, 500)
  description?: string;

  @IsOptional()
  @IsMetadata()
  metadata?: Metadata;
}

export class CreateInvoiceLineItemDto {
  /** A draft manual invoice (inv_…). */
  @IsString()
  @Length(1, 64)
  invoice!: string;

  @IsString()
  @Length(1, 500)
  description!: string;

  /** Default "1". */
  @IsOptional()
  @IsNonNegativeDecimalString()
  quantity?: string;

  @IsNonNegativeDecimalString()
  unit_amount!: string;
}

/** Invoices filtered by payer (at most one of customer / account) and status. */
export class ListInvoicesQueryDto extends IntersectionType(pageQueryFor('invoice'), PayerFieldsDto) {
  @IsOptional()
  @IsIn(INVOICE_STATUSES)
  status?: InvoiceStatus;
}

export class PayInvoiceDto {
  /** Charge this payment method of the payer instead (pm_…). */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  payment_method?: string;
}
