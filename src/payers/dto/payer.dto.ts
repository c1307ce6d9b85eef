import { IsEmail, IsOptional, IsString, Length } from 'class-validator';
import { IsMetadata, type Metadata } from '../../common/validation/metadata.js';
import { pageQueryFor } from '../../common/pagination/page-query.dto.js';

export class CreatePayerDto {
  @IsOptional()
  @IsString()
  @Length(1, 500)
  name?: string;

  @IsOptional()
  @IsEmail()
  @Length(1, 500)
  email?: string;

  /** Your own id for this payer; unique among your customers (or accounts) when given. */
  @IsOptional()
  @IsString()
  @Length(1, 255)
  external_id?: string;

  /** Up to 50 string keys (≤ 40 characters) with string values (≤ 500 characters). */
  @IsOptional()
  @IsMetadata()
  metadata?: Metadata;
}

export class UpdatePayerDto extends CreatePayerDto {
  /** A payment method attached to this payer (`pm_…`) to charge by default. */
  @IsOptional()
  @IsString()
  default_payment_method?: string;
}

/** The list filters of customers, or of accounts (each paginates by its own ids). */
export function listPayersQuery(kind: 'customer' | 'account') {
  class ListPayersQueryDto extends pageQueryFor(kind) {
    /** Only the payer with this external_id. */
    @IsOptional()
    @IsString()
    @Length(1, 255)
    external_id?: string;
  }
  return ListPayersQueryDto;
}

export type ListPayersQuery = InstanceType<ReturnType<typeof listPayersQuery>>;

export class PaymentMethodsQueryDto extends pageQueryFor('paymentMethod') {}

export class AttachPaymentMethodDto {
  /** A gateway token; in test mode one of the sandbox cards, e.g. `tok_visa`. */
  @IsString()
  @Length(1, 255)
  token!: string;
}
