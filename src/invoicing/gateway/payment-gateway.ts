/** What a gateway tells about a tokenized card before anything is charged. */
export interface CardDetails {
  brand: string;
  last4: string;
}

export interface ChargeRequest {
  merchantId: string;
  /** The same key never charges twice: a repeat answers the first charge's result. */
  idempotencyKey: string;
  /** What is being paid (the invoice id); some sandbox cards decline by attempts per reference. */
  reference: string;
  token: string;
  /** The amount in the currency's minor unit, as an integer string ("4232" for 42.32 usd). */
  amountMinor: string;
  currency: string;
}

export type ChargeResult =
  | { status: 'succeeded'; gatewayChargeId: string }
  | { status: 'declined'; gatewayChargeId: string; declineCode: string; message: string };

/**
 * The seam to the card network. The sandbox gateway (test mode) implements it here; a real
 * processor plugs in behind the same interface. A decline is a result; a thrown error means
 * the outcome is unknown (network, timeout) and the call may be repeated with the same key.
 */
export interface PaymentGateway {
  /** The card behind `token`, or null when the gateway does not know the token. */
  describeToken(token: string): CardDetails | null;
  charge(request: ChargeRequest): Promise<ChargeResult>;
}

export const PAYMENT_GATEWAY = Symbol('PaymentGateway');
