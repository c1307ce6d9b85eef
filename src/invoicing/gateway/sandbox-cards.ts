import type { CardDetails } from './payment-gateway.js';

/** How a sandbox card behaves when charged (see DESIGN.md §4, like card networks' test cards). */
export type SandboxBehaviour =
  | { kind: 'succeeds' }
  | { kind: 'declines'; declineCode: 'card_declined' | 'insufficient_funds' }
  | { kind: 'declines_first'; attempts: number };

export interface SandboxCard extends CardDetails {
  behaviour: SandboxBehaviour;
}

export const SANDBOX_CARDS: Readonly<Record<string, SandboxCard>> = {
  tok_visa: { brand: 'visa', last4: '4242', behaviour: { kind: 'succeeds' } },
  tok_chargeDeclined: {
    brand: 'visa',
    last4: '0002',
    behaviour: { kind: 'declines', declineCode: 'card_declined' },
  },
  tok_insufficientFunds: {
    brand: 'visa',
    last4: '9995',
    behaviour: { kind: 'declines', declineCode: 'insufficient_funds' },
  },
  tok_failOnce: { brand: 'visa', last4: '0341', behaviour: { kind: 'declines_first', attempts: 1 } },
  tok_failTwice: { brand: 'mastercard', last4: '4444', behaviour: { kind: 'declines_first', attempts: 2 } },
};
