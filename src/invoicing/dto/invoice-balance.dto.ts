import { ApiProperty } from '@nestjs/swagger';
import {
  INVOICE_BALANCE_ENTRY_KINDS,
  type InvoiceBalanceEntryKind,
} from '../invoice-balance-entry.entity.js';

/** One movement of the balance, named by the invoice that made it. */
export class InvoiceBalanceEntry {
  /** The invoice (`inv_…`). */
  invoice!: string;

  /**
   * `carried`: a negative invoice's amount, now owed to the payer; `applied`: taken off an invoice
   * (negative); `restored`: given back when the invoice that applied it was voided.
   */
  @ApiProperty({ enum: INVOICE_BALANCE_ENTRY_KINDS })
  kind!: InvoiceBalanceEntryKind;

  /** Signed, in the currency's minor digits ("12.50", "-4.00"). */
  @ApiProperty({ example: '12.50' })
  amount!: string;

  /** ISO 8601. */
  created_at!: string;
}

/** The payer's invoice balance in one currency: what later invoices of any kind but credit purchases take off first. */
export class InvoiceBalance {
  @ApiProperty({ enum: ['invoice_balance'] })
  object!: 'invoice_balance';

  @ApiProperty({ example: 'usd' })
  currency!: string;

  /** Owed to the payer, never negative, in the currency's minor digits. */
  @ApiProperty({ example: '12.50' })
  amount!: string;

  /** Newest first. */
  @ApiProperty({ type: [InvoiceBalanceEntry] })
  entries!: InvoiceBalanceEntry[];
}

/** A payer's invoice balances, one per currency it ever had one in (sorted by currency). */
export class InvoiceBalances {
  @ApiProperty({ enum: ['list'] })
  object!: 'list';

  @ApiProperty({ type: [InvoiceBalance] })
  data!: InvoiceBalance[];
}
