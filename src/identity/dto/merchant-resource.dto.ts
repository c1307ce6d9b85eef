import { ApiProperty } from '@nestjs/swagger';

export class Merchant {
  id!: string;
  object!: 'merchant';
  name!: string;
  /** ISO 8601. */
  created!: string;
}

/** A new merchant and its first secret key. */
export class CreatedMerchant {
  merchant!: Merchant;
  /** The merchant's secret API key (`sk_test_` and 32 letters or digits), shown only in this answer. */
  @ApiProperty({ pattern: '^sk_test_[A-Za-z0-9]{32}$', example: 'sk_test_0123456789abcdefghijABCDEFGHIJKL' })
  secret_key!: string;
}
