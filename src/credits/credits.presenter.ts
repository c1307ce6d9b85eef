import { moneyText } from '../invoicing/domain/invoice-totals.js';
import type { CreditAccountEntity } from './credit-account.entity.js';
import type { CreditGrantEntity } from './credit-grant.entity.js';
import type { CreditLedgerEntryEntity } from './credit-ledger-entry.entity.js';
import type { Threshold } from './domain/thresholds.js';
import type { CreditGrant } from './dto/credit-grant-resource.dto.js';
import type { CreditLedgerEntry } from './dto/credit-ledger-entry-resource.dto.js';
import type { CreditSettings, CreditThreshold } from './dto/credit-settings-resource.dto.js';

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function payerField(
  payerKind: string,
  payerId: string,
): { customer: string | null; account: string | null } {
  return {
    customer: payerKind === 'customer' ? payerId : null,
    account: payerKind === 'account' ? payerId : null,
  };
}

export function presentGrant(grant: CreditGrantEntity): CreditGrant {
  return {
    id: grant.id,
    object: 'credit_grant' as const,
    ...payerField(grant.payerKind, grant.payerId),
    currency: grant.currency,
    amount: moneyText(grant.amount, grant.currency),
    remaining: moneyText(grant.remaining, grant.currency),
    priority: grant.priority,
    expires_at: iso(grant.expiresAt),
    description: grant.description,
    paid: grant.paid,
    status: grant.status,
    source: grant.source,
    invoice: grant.invoiceId,
    activated_at: iso(grant.activatedAt),
    expired_at: iso(grant.expiredAt),
    voided_at: iso(grant.voidedAt),
    created_at: grant.createdAt.toISOString(),
  };
}

export function presentLedgerEntry(entry: CreditLedgerEntryEntity): CreditLedgerEntry {
  return {
    id: entry.id,
    object: 'credit_ledger_entry' as const,
    grant: entry.grantId,
    currency: entry.currency,
    kind: entry.kind,
    amount: moneyText(entry.amount, entry.currency),
    balance_after: moneyText(entry.balanceAfter, entry.currency),
    window_start: iso(entry.windowStart),
    // Written together (a draw's FoldSource), so one is null exactly when the other is.
    source:
      entry.sourceType === null || entry.sourceId === null
        ? null
        : { type: entry.sourceType, id: entry.sourceId },
    created_at: entry.createdAt.toISOString(),
  };
}

export function thresholdOf(
  account: Pick<CreditAccountEntity, 'thresholdKind' | 'thresholdValue'>,
): Threshold {
  return account.thresholdKind === 'percent'
    ? { kind: 'percent', percent: account.thresholdValue }
    : { kind: 'amount', amount: account.thresholdValue };
}

export function presentThreshold(threshold: Threshold, currency: string): CreditThreshold {
  return threshold.kind === 'percent'
    ? { percent: threshold.percent }
    : { amount: moneyText(threshold.amount, currency) };
}

export function presentSettings(account: CreditAccountEntity): CreditSettings {
  return {
    object: 'credit_settings' as const,
    ...payerField(account.payerKind, account.payerId),
    currency: account.currency,
    balance: moneyText(account.balance, account.currency),
    threshold: presentThreshold(thresholdOf(account), account.currency),
    auto_top_up:
      account.autoTopUpAmount === null || account.autoTopUpThreshold === null
        ? null
        : {
            threshold: moneyText(account.autoTopUpThreshold, account.currency),
            amount: moneyText(account.autoTopUpAmount, account.currency),
          },
  };
}
