import { Foundation1795547025207 } from './1795547025207-Foundation.js';
import { Metering1795548105562 } from './1795548105562-Metering.js';
import { Usage1795549551367 } from './1795549551367-Usage.js';
import { UsageReadPaths1795550700000 } from './1795550700000-UsageReadPaths.js';
import { IntervalEndIndex1795552800000 } from './1795552800000-IntervalEndIndex.js';
import { Webhooks1795554793577 } from './1795554793577-Webhooks.js';
import { Invoicing1795556201387 } from './1795556201387-Invoicing.js';
import { Subscriptions1795558507744 } from './1795558507744-Subscriptions.js';
import { Credits1795570557675 } from './1795570557675-Credits.js';
import { PayerBillingMode1795600000000 } from './1795600000000-PayerBillingMode.js';
import { UsageClaims1795600100000 } from './1795600100000-UsageClaims.js';
import { WorkflowFailures1795600200000 } from './1795600200000-WorkflowFailures.js';
import { RateLimitWindows1795600300000 } from './1795600300000-RateLimitWindows.js';
import { RestrictedApiKeys1795600400000 } from './1795600400000-RestrictedApiKeys.js';
import { PricingModels1795600500000 } from './1795600500000-PricingModels.js';
import { EventCorrections1795600600000 } from './1795600600000-EventCorrections.js';
import { CorrectionSettlement1795600700000 } from './1795600700000-CorrectionSettlement.js';
import { PortalSessions1795600800000 } from './1795600800000-PortalSessions.js';

/** Migrations in order; `npm run migration:generate -- Name` writes a new file, which is then listed here. */
export const MIGRATIONS = [
  Foundation1795547025207,
  Metering1795548105562,
  Usage1795549551367,
  UsageReadPaths1795550700000,
  IntervalEndIndex1795552800000,
  Webhooks1795554793577,
  Invoicing1795556201387,
  Subscriptions1795558507744,
  Credits1795570557675,
  PayerBillingMode1795600000000,
  UsageClaims1795600100000,
  WorkflowFailures1795600200000,
  RateLimitWindows1795600300000,
  RestrictedApiKeys1795600400000,
  PricingModels1795600500000,
  EventCorrections1795600600000,
  CorrectionSettlement1795600700000,
  PortalSessions1795600800000,
];
