import type { Account, Customer, PaymentMethod } from './dto/payer-resource.dto.js';
import { type PayerEntity } from './payer.entity.js';
import { type PaymentMethodEntity } from './payment-method.entity.js';

export function presentPayer(payer: PayerEntity): Customer | Account {
  return {
    id: payer.id,
    object: payer.kind,
    name: payer.name,
    email: payer.email,
    external_id: payer.externalId,
    metadata: payer.metadata,
    default_payment_method: payer.defaultPaymentMethodId,
    created: payer.createdAt.toISOString(),
  };
}

export function presentPaymentMethod(method: PaymentMethodEntity, kind: PayerEntity['kind']): PaymentMethod {
  return {
    id: method.id,
    object: 'payment_method' as const,
    [kind]: method.payerId,
    card: { brand: method.brand, last4: method.last4 },
    created: method.createdAt.toISOString(),
  };
}
