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

/** The card behind a sandbox token, or null for a token the sandbox does not know. */
export function sandboxCard(token: string): SandboxCard | null {
  return Object.hasOwn(SANDBOX_CARDS, token) ? SANDBOX_CARDS[token]! : null;
}

/** What the sandbox tells about a token: brand and last4, never its behaviour. */
export function describeSandboxToken(token: string): CardDetails | null {
  const card = sandboxCard(token);
  return card ? { brand: card.brand, last4: card.last4 } : null;
}
