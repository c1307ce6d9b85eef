import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { KeyAccess } from './domain/key-access.js';

/**
 * A secret API key, stored only as its SHA-256 digest. Keys are 190 bits of randomness, so a
 * fast digest is safe (no password stretching needed) and keeps authentication cheap.
 * The digest is globally unique because a request names no merchant before it is
 * authenticated; under Citus this table is a reference table.
 */
@Entity({ name: 'api_keys' })
@Index('api_keys_secret_hash_key', ['secretHash'], { unique: true })
@Check('CHK_api_keys_access', `"access" IN ('full', 'read', 'ingest')`)
export class ApiKeyEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  /** The merchant's label for the key. */
  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  access!: KeyAccess;

  @Column({ name: 'secret_hash', type: 'bytea' })
  secretHash!: Buffer;

  /** The last four characters, so a merchant can tell keys apart. */
  @Column({ name: 'secret_hint', type: 'text' })
  secretHint!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** Set when the key is rolled: it keeps working until then, alongside its successor. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;
}
