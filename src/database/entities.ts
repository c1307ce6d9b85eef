import { ApiKeyEntity } from '../identity/api-key.entity.js';
import { MerchantEntity } from '../identity/merchant.entity.js';
import { BillingMetricEventEntity } from '../metering/billing-metric-event.entity.js';
import { BillingMetricEntity } from '../metering/billing-metric.entity.js';
import { PayerEntity } from '../payers/payer.entity.js';
import { PaymentMethodEntity } from '../payers/payment-method.entity.js';
import { UsageBucketEntity } from '../usage/usage-bucket.entity.js';

/** Every entity, for the data source and the migration generator. */
export const ENTITIES = [
  MerchantEntity,
  ApiKeyEntity,
  PayerEntity,
  PaymentMethodEntity,
  BillingMetricEntity,
  BillingMetricEventEntity,
  UsageBucketEntity,
];
