import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AfterCommit } from '../usage/fold-listeners.js';
import type { MetricUsageEvent } from '../usage/usage-event-row.js';
import type { PricedMetric } from './domain/invoice-lines.js';
import type { InvoiceEntity } from './invoice.entity.js';

/** The usage a billing invoice took, as it prices it. */
export interface BilledUsage {
  metrics: readonly PricedMetric[];
  /** The window's events and late events, each once. */
  events: readonly MetricUsageEvent[];
  /** The sum of the usage lines' amounts. */
  total: string;
}

/** A line another context adds to a billing invoice (prepaid credits applied: negative). */
export interface ExtraLine {
  kind: 'credits_applied';
  description: string;
  amount: string;
}

/** Told of invoice milestones in their transactions (credits: applied lines, paid grants, releases). */
export interface InvoiceListener {
  usageBilled?(tx: EntityManager, invoice: InvoiceEntity, usage: BilledUsage): Promise<ExtraLine[]>;
  invoicePaid?(tx: EntityManager, invoice: InvoiceEntity): Promise<AfterCommit | null>;
  invoiceVoided?(tx: EntityManager, invoice: InvoiceEntity): Promise<AfterCommit | null>;
}

/** Where contexts built on invoicing register (they import invoicing; invoicing cannot import them). */
@Injectable()
export class InvoiceListeners {
  private readonly listeners: InvoiceListener[] = [];

  register(listener: InvoiceListener): void {
    this.listeners.push(listener);
  }

  async usageBilled(tx: EntityManager, invoice: InvoiceEntity, usage: BilledUsage): Promise<ExtraLine[]> {
    const lines: ExtraLine[] = [];
    for (const listener of this.listeners)
      if (listener.usageBilled) lines.push(...(await listener.usageBilled(tx, invoice, usage)));
    return lines;
  }

  async invoicePaid(tx: EntityManager, invoice: InvoiceEntity): Promise<AfterCommit[]> {
    return this.each((listener) => listener.invoicePaid?.(tx, invoice));
  }

  async invoiceVoided(tx: EntityManager, invoice: InvoiceEntity): Promise<AfterCommit[]> {
    return this.each((listener) => listener.invoiceVoided?.(tx, invoice));
  }

  private async each(
    call: (listener: InvoiceListener) => Promise<AfterCommit | null> | undefined,
  ): Promise<AfterCommit[]> {
    const after: AfterCommit[] = [];
    for (const listener of this.listeners) {
      const task = await call(listener);
      if (task) after.push(task);
    }
    return after;
  }
}
