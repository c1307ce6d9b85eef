import { ApiProperty, OmitType } from '@nestjs/swagger';
import { ApiExactlyOne } from '../../common/http/openapi/api-contract.js';
import { ApiNullableObject, type Nullable } from '../../common/http/openapi/nullable.js';
import { Invoice, InvoiceLineItem } from '../../invoicing/dto/invoice-resource.dto.js';

const NULL_ID = { type: 'string', nullable: true, enum: [null] } as const;

/** A line the previewed invoice would have; not stored, so it has no id yet. */
export class UpcomingInvoiceLineItem extends OmitType(InvoiceLineItem, ['id', 'invoice'] as const) {
  /** Always null: the line is not stored. */
  @ApiProperty(NULL_ID)
  id!: null;

  /** Always null. */
  @ApiProperty(NULL_ID)
  invoice!: null;
}

export class UpcomingInvoiceLineList {
  object!: 'list';

  @ApiProperty({ type: () => [UpcomingInvoiceLineItem] })
  data!: UpcomingInvoiceLineItem[];

  /** Always false. */
  has_more!: boolean;
}

/** The base fee a subscription's next period bills in advance. */
export class NextBaseFee {
  /** In the currency's minor-unit digits. */
  @ApiProperty({ example: '49.00' })
  amount!: string;

  /** ISO 8601; the next period's start. */
  period_start!: string;

  /** ISO 8601; the next period's end. */
  period_end!: string;
}

/**
 * The invoice that would be issued now, priced exactly as it would be, but stored nowhere:
 * `id` and `number` are null and its status is `draft`.
 */
@ApiExactlyOne(['customer', 'account'])
export class UpcomingInvoice extends OmitType(Invoice, ['id', 'lines'] as const) {
  /** Always null: a preview is not an invoice. */
  @ApiProperty(NULL_ID)
  id!: null;

  lines!: UpcomingInvoiceLineList;

  /** With `subscription`: the next period's base fee; null without it, or when the subscription ends with this period. */
  @ApiNullableObject(NextBaseFee)
  next_base_fee!: Nullable<NextBaseFee>;
}
