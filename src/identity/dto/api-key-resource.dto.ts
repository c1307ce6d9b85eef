import { ApiProperty } from '@nestjs/swagger';
import { KEY_ACCESSES, type KeyAccess } from '../domain/key-access.js';

/** An API key; its secret is shown only when it is created or rolled. */
export class ApiKey {
  id!: string;
  object!: 'api_key';
  name!: string;
  /** `full`: a secret key (`sk_…`), which can do everything; `read` or `ingest`: a restricted key (`rk_…`). */
  @ApiProperty({ enum: KEY_ACCESSES })
  access!: KeyAccess;
  /** The key's prefix and last four characters, to tell keys apart. */
  @ApiProperty({ example: 'rk_test_…a1B2' })
  redacted_secret!: string;
  /** ISO 8601. */
  created!: string;
  /** When a rolled key stops working (ISO 8601), or null for a key that was not rolled. */
  expires_at!: string | null;
  /** When the key was revoked (ISO 8601), or null. */
  revoked_at!: string | null;
  /** Whether the key authenticates now: not revoked and not past `expires_at`. */
  live!: boolean;
}

/** A new key and its secret, which is shown only in this answer. */
export class CreatedApiKey {
  api_key!: ApiKey;
  /** The key's secret (`sk_test_` or `rk_test_` and 32 letters or digits). */
  @ApiProperty({
    pattern: '^[sr]k_test_[A-Za-z0-9]{32}$',
    example: 'rk_test_0123456789abcdefghijABCDEFGHIJKL',
  })
  secret!: string;
}

/** The key that replaces a rolled one, its secret (shown only here), and the rolled key. */
export class RolledApiKey extends CreatedApiKey {
  /** The key that was rolled, with the `expires_at` it now has. */
  rolled!: ApiKey;
}
