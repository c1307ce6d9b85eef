import { ApiProperty } from '@nestjs/swagger';
import { ApiExactlyOne } from '../../common/http/openapi/api-contract.js';

/** What customers and accounts share; each kind has its own component (`Customer`, `Account`). */
abstract class PayerResource {
  id!: string;
  name!: string | null;
  email!: string | null;
  /** Your own id for this payer, unique among your payers of its kind. */
  external_id!: string | null;
  metadata!: Record<string, string>;
  /** The payment method (pm_…) charged by default; the first one attached until you set another. */
  default_payment_method!: string | null;
  /** ISO 8601. */
  created!: string;
}

export class Customer extends PayerResource {
  object!: 'customer';
}

export class Account extends PayerResource {
  object!: 'account';
}

export class PaymentMethodCard {
  /** The card network, e.g. `visa`. */
  brand!: string;
  /** The card number's last four digits. */
  @ApiProperty({ pattern: '^\\d{4}$', example: '4242' })
  last4!: string;
}

/** A card attached to one payer: `customer` or `account` names it (exactly one of them). */
@ApiExactlyOne(['customer', 'account'])
export class PaymentMethod {
  id!: string;
  object!: 'payment_method';
  /** The customer (cus_…) the card belongs to, for a customer's card. */
  customer?: string;
  /** The account (acct_…) the card belongs to, for an account's card. */
  account?: string;
  card!: PaymentMethodCard;
  /** ISO 8601. */
  created!: string;
}
