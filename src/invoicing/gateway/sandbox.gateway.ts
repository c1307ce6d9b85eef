import { Injectable } from '@nestjs/common';
import type { CardDetails, PaymentGateway } from './payment-gateway.js';
import { SANDBOX_CARDS } from './sandbox-cards.js';

/** Test mode's gateway: the token decides the outcome, like a card network's test cards. */
@Injectable()
export class SandboxGateway implements PaymentGateway {
  describeToken(token: string): CardDetails | null {
    const card = Object.hasOwn(SANDBOX_CARDS, token) ? SANDBOX_CARDS[token] : undefined;
    return card ? { brand: card.brand, last4: card.last4 } : null;
  }
}
