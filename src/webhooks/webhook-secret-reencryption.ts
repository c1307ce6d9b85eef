import { Injectable } from '@nestjs/common';
import { SecretBoxError } from './domain/secret-box.js';
import { type StoredSecrets, WebhookEndpointsRepository } from './webhook-endpoints.repository.js';
import { WebhookSecrets } from './webhook-secrets.js';

export interface ReencryptionReport {
  /** The key every rewritten secret is now sealed with. */
  keyId: string;
  /** Endpoints whose secrets were rewritten. */
  resealed: number;
  /** Endpoints left as they are because a key they need is missing or their value is damaged. */
  unreadable: number;
  /** What made them unreadable (key ids named, never a secret), one line per distinct reason. */
  problems: string[];
}

const MAX_PASSES = 5;

/**
 * Moves every endpoint's secrets (deleted endpoints' too) to the keyring's current key: those
 * sealed with an older key and those stored in plain text before encryption. Row by row, each
 * rewrite conditional on the values it read, so it is safe beside a running API (a rotation at
 * the same moment wins, and its row is looked at again in the next pass) and idempotent.
 */
@Injectable()
export class WebhookSecretReencryption {
  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly secrets: WebhookSecrets,
  ) {}

  async reencryptAll(batchSize = 200): Promise<ReencryptionReport> {
    const prefix = `enc:v1:${this.secrets.currentKeyId}:`;
    const report: ReencryptionReport = {
      keyId: this.secrets.currentKeyId,
      resealed: 0,
      unreadable: 0,
      problems: [],
    };
    const unreadable = new Map<string, string>();
    for (let pass = 0; pass < MAX_PASSES; pass += 1) {
      let changedMeanwhile = 0;
      let after: StoredSecrets | null = null;
      for (;;) {
        const batch = await this.endpoints.secretsNotStartingWith(prefix, after, batchSize);
        for (const row of batch) {
          const outcome = await this.reseal(row);
          if (outcome === 'resealed') report.resealed += 1;
          else if (outcome === 'changed meanwhile') changedMeanwhile += 1;
          else unreadable.set(`${row.merchantId}/${row.id}`, outcome.message);
        }
        if (batch.length < batchSize) break;
        after = batch[batch.length - 1]!;
      }
      if (changedMeanwhile === 0) break;
    }
    report.unreadable = unreadable.size;
    report.problems = [...new Set(unreadable.values())];
    return report;
  }

  private async reseal(row: StoredSecrets): Promise<'resealed' | 'changed meanwhile' | SecretBoxError> {
    let secret: string;
    let previousSecret: string | null;
    try {
      secret = this.resealed(row.secret);
      previousSecret = row.previousSecret === null ? null : this.resealed(row.previousSecret);
    } catch (error) {
      if (error instanceof SecretBoxError) return error;
      throw error;
    }
    return (await this.endpoints.replaceSecrets(row, secret, previousSecret))
      ? 'resealed'
      : 'changed meanwhile';
  }

  private resealed(stored: string): string {
    return this.secrets.isCurrent(stored) ? stored : this.secrets.seal(this.secrets.open(stored));
  }
}
