import type { FindOptionsWhere, ObjectLiteral, Repository } from 'typeorm';
import { idempotencyKeyReused } from '../common/idempotency/idempotency-key.js';
import { isUniqueViolation } from './postgres-errors.js';

/** A row a create made, keyed by merchant, that may carry the create's Idempotency-Key. */
interface IdempotentRow extends ObjectLiteral {
  merchantId: string;
  id: string;
  idempotencyKey: string | null;
  requestHash: string | null;
}

/**
 * Inserts the row unless its idempotency key was used before (the unique index `constraint`):
 * then nothing is inserted and the row that key made is answered (`created: false`), or a 409
 * `idempotency_key_reused` when that earlier request had another body (another `requestHash`).
 * How every create that takes an Idempotency-Key is idempotent, races included. Inside a
 * transaction (a repository of a transaction's manager) the insert runs in a savepoint, so a
 * refused insert leaves the rest of the transaction usable.
 */
export async function insertOnce<T extends IdempotentRow>(
  repository: Repository<T>,
  row: Partial<T> & IdempotentRow,
  constraint: string,
): Promise<{ row: T; created: boolean }> {
  try {
    if (repository.manager.queryRunner?.isTransactionActive) {
      await repository.manager.transaction(() => repository.insert(row as never));
    } else {
      await repository.insert(row as never);
    }
  } catch (error) {
    if (!isUniqueViolation(error, constraint) || row.idempotencyKey === null) throw error;
    const earlier = await repository.findOneByOrFail({
      merchantId: row.merchantId,
      idempotencyKey: row.idempotencyKey,
    } as FindOptionsWhere<T>);
    if (earlier.requestHash !== row.requestHash) throw idempotencyKeyReused(row.idempotencyKey);
    return { row: earlier, created: false };
  }
  const created = await repository.findOneByOrFail({
    merchantId: row.merchantId,
    id: row.id,
  } as FindOptionsWhere<T>);
  return { row: created, created: true };
}
