import { Injectable, type OnModuleInit } from '@nestjs/common';
import { TallyConfigService } from '../config/config.module.js';
import { developmentSecretBox } from './development-secret-keys.js';
import type { SecretBox } from './domain/secret-box.js';

/**
 * Endpoint signing secrets as stored (sealed with WEBHOOK_SECRET_KEYS' first key) and as used
 * (plaintext, only to sign and in the create and rotate answers). The keyring is resolved at
 * start, so a missing or broken development key file stops the process there.
 */
@Injectable()
export class WebhookSecrets implements OnModuleInit {
  #box: SecretBox | undefined;

  constructor(private readonly config: TallyConfigService) {}

  onModuleInit(): void {
    void this.box;
  }

  private get box(): SecretBox {
    this.#box ??=
      this.config.values.WEBHOOK_SECRET_KEYS ?? developmentSecretBox(this.config.values.TALLY_DATA_DIR);
    return this.#box;
  }

  get currentKeyId(): string {
    return this.box.currentKeyId;
  }

  get keyIds(): string[] {
    return this.box.keyIds;
  }

  seal(secret: string): string {
    return this.box.seal(secret);
  }

  /** The plaintext; a legacy plaintext value as is; a SecretBoxError (key id named) when it cannot be read. */
  open(stored: string): string {
    return this.box.open(stored);
  }

  isCurrent(stored: string): boolean {
    return this.box.isCurrent(stored);
  }
}
