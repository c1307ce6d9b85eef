/** What a gateway tells about a tokenized card before anything is charged. */
export interface CardDetails {
  brand: string;
  last4: string;
}

/**
 * The seam to the card network. The sandbox gateway (test mode) implements it here; a real
 * processor plugs in behind the same interface. Charging arrives with the invoicing issue.
 */
export interface PaymentGateway {
  /** The card behind `token`, or null when the gateway does not know the token. */
  describeToken(token: string): CardDetails | null;
}

export const PAYMENT_GATEWAY = Symbol('PaymentGateway');
