import { CreditAccountEntity } from '../credits/credit-account.entity.js';
import { CreditApplicationEntity } from '../credits/credit-application.entity.js';
import { CreditGrantEntity } from '../credits/credit-grant.entity.js';
import { CreditLedgerEntryEntity } from '../credits/credit-ledger-entry.entity.js';
import { ApiKeyEntity } from '../identity/api-key.entity.js';
import { MerchantEntity } from '../identity/merchant.entity.js';
import { BillingMetricEventVersionEntity } from '../metering/billing-metric-event-version.entity.js';
import { BillingMetricEventEntity } from '../metering/billing-metric-event.entity.js';
import { BillingMetricEntity } from '../metering/billing-metric.entity.js';
import { ChargeEntity } from '../invoicing/charge.entity.js';
import { SandboxChargeEntity } from '../invoicing/gateway/sandbox-charge.entity.js';
import { InvoiceBalanceEntryEntity } from '../invoicing/invoice-balance-entry.entity.js';
import { InvoiceCounterEntity } from '../invoicing/invoice-counter.entity.js';
import { InvoiceLineEntity } from '../invoicing/invoice-line.entity.js';
import { InvoiceEntity } from '../invoicing/invoice.entity.js';
import { PayerEntity } from '../payers/payer.entity.js';
import { PaymentMethodEntity } from '../payers/payment-method.entity.js';
import { PortalSessionEntity } from '../portal/portal-session.entity.js';
import { RateLimitWindowEntity } from '../ratelimit/rate-limit-window.entity.js';
import { SubscriptionPeriodEntity } from '../subscriptions/subscription-period.entity.js';
import { SubscriptionEntity } from '../subscriptions/subscription.entity.js';
import { UsageBucketEntity } from '../usage/usage-bucket.entity.js';
import { UsageClaimEntity } from '../usage/usage-claim.entity.js';
import { WebhookDeliveryAttemptEntity } from '../webhooks/webhook-delivery-attempt.entity.js';
import { WebhookDeliveryEntity } from '../webhooks/webhook-delivery.entity.js';
import { WebhookEndpointEntity } from '../webhooks/webhook-endpoint.entity.js';
import { WebhookEventEntity } from '../webhooks/webhook-event.entity.js';

/** Every entity, for the data source and the migration generator. */
export const ENTITIES = [
  MerchantEntity,
  ApiKeyEntity,
  RateLimitWindowEntity,
  PayerEntity,
  PaymentMethodEntity,
  BillingMetricEntity,
  BillingMetricEventEntity,
  BillingMetricEventVersionEntity,
  UsageBucketEntity,
  UsageClaimEntity,
  WebhookEndpointEntity,
  WebhookEventEntity,
  WebhookDeliveryEntity,
  WebhookDeliveryAttemptEntity,
  InvoiceEntity,
  InvoiceLineEntity,
  InvoiceBalanceEntryEntity,
  InvoiceCounterEntity,
  ChargeEntity,
  SandboxChargeEntity,
  SubscriptionEntity,
  SubscriptionPeriodEntity,
  CreditAccountEntity,
  CreditGrantEntity,
  CreditLedgerEntryEntity,
  CreditApplicationEntity,
  PortalSessionEntity,
];
