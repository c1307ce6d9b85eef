import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsMetadata, type Metadata } from '../../common/validation/metadata.js';
import { idPattern, pageQueryFor } from '../../common/pagination/page-query.dto.js';
import { ApiMetadataProperty } from '../../common/http/openapi/metadata-property.js';
import { Optional } from '../../common/validation/optional.js';

/** Null is taken as leaving a field out on a create, and clears the field on an update (metadata to `{}`). */
export class CreatePayerDto {
  @ApiPropertyOptional({ example: 'Jenny Rosen' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  name?: string | null;

  @ApiPropertyOptional({ example: 'jenny@example.com' })
  @IsOptional()
  @IsEmail()
  @Length(1, 500)
  email?: string | null;

  /** Your own id for this payer; unique among your customers (or accounts) when given. */
  @ApiPropertyOptional({ example: 'user_1042' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  external_id?: string | null;

  @ApiMetadataProperty({ nullable: true })
  @IsOptional()
  @IsMetadata()
  metadata?: Metadata | null;
}

export class UpdatePayerDto extends CreatePayerDto {
  /** A payment method attached to this payer (`pm_…`) to charge by default. */
  @ApiPropertyOptional({ pattern: idPattern('paymentMethod'), example: 'pm_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  @Optional()
  @IsString()
  default_payment_method?: string;
}

/**
 * 1 to 200 characters between optional white space, none of them NUL: `\s` is exactly what
 * String.prototype.trim removes, so the pattern and the trim the service does agree.
 */
const SEARCH_PATTERN = '^\\s*[^\\s\\u0000](?:[^\\u0000]{0,198}[^\\s\\u0000])?\\s*$';

/** The list filters of customers, or of accounts (each paginates by its own ids). */
export function listPayersQuery(kind: 'customer' | 'account') {
  class ListPayersQueryDto extends pageQueryFor(kind) {
    /** Only the payer with this external_id. */
    @Optional()
    @IsString()
    @Length(1, 255)
    external_id?: string;

    /**
     * Payers whose name, email or external_id contains this text (case-insensitive), or whose id
     * it is. Leading and trailing white space is ignored; what is left is 1 to 200 characters.
     */
    @ApiPropertyOptional({ type: 'string', pattern: SEARCH_PATTERN, example: 'acme' })
    @Optional()
    @IsString()
    @Matches(new RegExp(SEARCH_PATTERN), {
      message: 'search must be 1 to 200 characters once leading and trailing white space is trimmed',
    })
    search?: string;
  }
  return ListPayersQueryDto;
}

export type ListPayersQuery = InstanceType<ReturnType<typeof listPayersQuery>>;

export class PaymentMethodsQueryDto extends pageQueryFor('paymentMethod') {}

export class AttachPaymentMethodDto {
  /** A gateway token; in test mode one of the sandbox cards, e.g. `tok_visa`. */
  @ApiProperty({ example: 'tok_visa' })
  @IsString()
  @Length(1, 255)
  token!: string;
}
