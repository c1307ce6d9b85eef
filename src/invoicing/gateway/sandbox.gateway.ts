import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TallyConfigService } from '../../config/config.module.js';
import type { CardDetails, ChargeRequest, ChargeResult, PaymentGateway } from './payment-gateway.js';
import { SandboxChargeEntity } from './sandbox-charge.entity.js';
import { describeSandboxToken, sandboxCard } from './sandbox-cards.js';
import { sandboxOutcome } from './sandbox-outcome.js';

const DECLINE_MESSAGES: Record<string, string> = {
  card_declined: 'Your card was declined.',
  insufficient_funds: 'Your card has insufficient funds.',
  invalid_payment_method: 'The payment method is not one the sandbox gateway knows.',
};

/**
 * Test mode's gateway: the token decides the outcome, like a card network's test cards. It keeps
 * its own ledger of processed charges (as a real network does on its side), so a repeated
 * idempotency key answers the first result and never charges again, whatever restarted meanwhile.
 * `SANDBOX_GATEWAY_LATENCY_MS` delays each answer after the charge is recorded, like a slow network.
 */
@Injectable()
export class SandboxGateway implements PaymentGateway {
  private readonly latencyMs: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    config: TallyConfigService,
  ) {
    this.latencyMs = config.values.SANDBOX_GATEWAY_LATENCY_MS;
  }

  describeToken(token: string): CardDetails | null {
    return describeSandboxToken(token);
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const charge = await this.db.transaction(async (tx) => {
      // One charge at a time per (merchant, reference): the attempt count decides tok_failOnce/Twice.
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `sandbox:${request.merchantId}:${request.reference}`,
      ]);
      const earlier = await tx.findOneBy(SandboxChargeEntity, {
        merchantId: request.merchantId,
        idempotencyKey: request.idempotencyKey,
      });
      if (earlier) return earlier;
      const card = sandboxCard(request.token);
      const attempts = await tx.countBy(SandboxChargeEntity, {
        merchantId: request.merchantId,
        reference: request.reference,
        token: request.token,
      });
      const outcome = card
        ? sandboxOutcome(card.behaviour, attempts)
        : { status: 'declined' as const, declineCode: 'invalid_payment_method' };
      const row: Omit<SandboxChargeEntity, 'createdAt'> = {
        merchantId: request.merchantId,
        idempotencyKey: request.idempotencyKey,
        gatewayChargeId: `sbx_${randomBytes(12).toString('hex')}`,
        reference: request.reference,
        token: request.token,
        amountMinor: request.amountMinor,
        currency: request.currency,
        status: outcome.status,
        declineCode: outcome.status === 'declined' ? outcome.declineCode : null,
      };
      await tx.insert(SandboxChargeEntity, row);
      return row;
    });
    if (this.latencyMs > 0) await delay(this.latencyMs);
    if (charge.status === 'succeeded')
      return { status: 'succeeded', gatewayChargeId: charge.gatewayChargeId };
    const declineCode = charge.declineCode ?? 'card_declined';
    return {
      status: 'declined',
      gatewayChargeId: charge.gatewayChargeId,
      declineCode,
      message: DECLINE_MESSAGES[declineCode] ?? 'The charge was declined.',
    };
  }
}
