import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last invoice number a merchant issued; incremented in the issuing transaction. */
@Entity({ name: 'invoice_counters' })
export class InvoiceCounterEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @Column({ name: 'last_number', type: 'int' })
  lastNumber!: number;
}
