import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/tally-error.js';
import type { ListResponse } from '../common/pagination/pagination.js';
import { MAX_PAGE_SIZE, toPageRequest } from '../common/pagination/pagination.js';
import { CreditMonitorService } from '../credits/credit-monitor.service.js';
import type { PortalCaller } from '../identity/auth.decorators.js';
import { IdentityService } from '../identity/identity.service.js';
import type { Invoice, InvoiceWithCharges } from '../invoicing/dto/invoice-resource.dto.js';
import { InvoicesService } from '../invoicing/invoices.service.js';
import { PayersService } from '../payers/payers.service.js';
import type { UpcomingInvoice } from '../previews/dto/upcoming-invoice-resource.dto.js';
import { UpcomingInvoiceService } from '../previews/upcoming-invoice.service.js';
import { SubscriptionsService } from '../subscriptions/subscriptions.service.js';
import { ReportsService } from '../usage/reports.service.js';
import { portalWindow } from './domain/portal-window.js';
import type { PortalInvoicesQueryDto } from './dto/portal-session.dto.js';
import type { PortalCredits, PortalSessionSummary, PortalUsage } from './dto/portal-resource.dto.js';
import { PortalSessionsService } from './portal-sessions.service.js';

const payerFields = (caller: PortalCaller) => ({
  customer: caller.payer.kind === 'customer' ? caller.payer.id : null,
  account: caller.payer.kind === 'account' ? caller.payer.id : null,
});

const payerQuery = (caller: PortalCaller) =>
  caller.payer.kind === 'customer' ? { customer_id: caller.payer.id } : { account_id: caller.payer.id };

const payerBody = (caller: PortalCaller) =>
  caller.payer.kind === 'customer' ? { customer: caller.payer.id } : { account: caller.payer.id };

/**
 * The portal's reads: each one the owning context's own service, asked for the session's payer
 * alone (no request names a payer), so a token reads nothing of any other payer.
 */
@Injectable()
export class PortalService {
  constructor(
    private readonly sessions: PortalSessionsService,
    private readonly identity: IdentityService,
    private readonly payers: PayersService,
    private readonly reports: ReportsService,
    private readonly creditMonitor: CreditMonitorService,
    private readonly invoicing: InvoicesService,
    private readonly upcomingInvoices: UpcomingInvoiceService,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  async session(caller: PortalCaller): Promise<PortalSessionSummary> {
    const [session, payer, merchantName] = await Promise.all([
      this.sessions.session(caller),
      this.payers.get(caller.merchantId, caller.payer.kind, caller.payer.id),
      this.identity.merchantName(caller.merchantId),
    ]);
    return {
      id: session.id,
      object: 'portal_session_summary',
      ...payerFields(caller),
      payer_name: payer.name ?? null,
      merchant_name: merchantName,
      return_url: session.returnUrl,
      expires_at: session.expiresAt.toISOString(),
    };
  }

  /** Usage this period: the current subscription period when the payer has one, else the UTC month so far. */
  async usage(caller: PortalCaller, now = new Date()): Promise<PortalUsage> {
    const period = await this.currentSubscriptionPeriod(caller);
    const window = portalWindow(period, now);
    const query = { ...payerQuery(caller), start: window.start.toISOString(), end: window.end.toISOString() };
    const report = await this.reports.customerReport(caller.merchantId, query, now);
    const metrics = await Promise.all(
      report.metrics.map(async (line) => {
        const detail = await this.reports.eventReport(
          caller.merchantId,
          line.event_name,
          { ...query, window_size: window.windowSize },
          now,
        );
        return { ...line, series: detail.metric === line.metric ? (detail.series ?? []) : [] };
      }),
    );
    return {
      object: 'portal_usage',
      ...payerFields(caller),
      period: window.period,
      start: report.start,
      end: report.end,
      window_size: window.windowSize,
      metrics,
      totals: report.totals,
    };
  }

  async credits(caller: PortalCaller, now = new Date()): Promise<PortalCredits> {
    const settings = await this.creditMonitor.settings(caller.merchantId, payerQuery(caller));
    const data = await Promise.all(
      settings.data.map((account) =>
        this.creditMonitor.thresholdProgress(
          caller.merchantId,
          { ...payerQuery(caller), currency: account.currency },
          now,
        ),
      ),
    );
    return { object: 'portal_credits', ...payerFields(caller), data };
  }

  /**
   * The invoice preview: the payer's active subscription's current period when it has one, else
   * what a billing invoice would issue now. 404 `resource_missing` when there is none to show
   * (no subscription period opened yet, usage in several currencies, a window not begun).
   */
  async upcoming(caller: PortalCaller, now = new Date()): Promise<UpcomingInvoice> {
    const subscription = await this.activeSubscription(caller);
    try {
      return await this.upcomingInvoices.upcoming(
        caller.merchantId,
        subscription ? { ...payerBody(caller), subscription: subscription.id } : payerBody(caller),
        now,
      );
    } catch (error) {
      if (error instanceof ValidationError || error instanceof ConflictError) {
        throw new NotFoundError('resource_missing', 'There is no upcoming invoice to show now.');
      }
      throw error;
    }
  }

  /**
   * The payer's invoices, newest first, drafts left out (a draft is the merchant's work in
   * progress): pages of the invoices list, read on until a page is full.
   */
  async invoices(caller: PortalCaller, query: PortalInvoicesQueryDto): Promise<ListResponse<Invoice>> {
    const page = toPageRequest(query, 'invoice');
    const shown: Invoice[] = [];
    let cursor = page.startingAfter;
    for (;;) {
      const batch = await this.invoicing.list(caller.merchantId, {
        ...payerBody(caller),
        // One more than a page tells whether there is more; the list takes at most MAX_PAGE_SIZE.
        limit: String(Math.min(page.limit + 1, MAX_PAGE_SIZE)),
        ...(cursor && { starting_after: cursor }),
      });
      shown.push(...batch.data.filter((invoice) => invoice.status !== 'draft'));
      if (shown.length > page.limit || !batch.has_more || batch.data.length === 0) break;
      cursor = batch.data[batch.data.length - 1]!.id;
    }
    return { object: 'list', data: shown.slice(0, page.limit), has_more: shown.length > page.limit };
  }

  /** One of the payer's invoices (not a draft); any other id is a 404, as for another merchant's. */
  async invoice(caller: PortalCaller, id: string): Promise<InvoiceWithCharges> {
    const invoice = await this.invoicing.get(caller.merchantId, id);
    const payer = caller.payer.kind === 'customer' ? invoice.customer : invoice.account;
    if (payer !== caller.payer.id || invoice.status === 'draft') throw NotFoundError.resource('invoice', id);
    return invoice;
  }

  private async activeSubscription(caller: PortalCaller) {
    if (caller.payer.kind !== 'customer') return undefined;
    const list = await this.subscriptions.list(caller.merchantId, {
      customer: caller.payer.id,
      limit: '100',
    });
    return list.data.find((subscription) => subscription.status === 'active');
  }

  private async currentSubscriptionPeriod(caller: PortalCaller) {
    const subscription = await this.activeSubscription(caller);
    if (!subscription?.current_period_start || !subscription.current_period_end) return null;
    return {
      start: new Date(subscription.current_period_start),
      end: new Date(subscription.current_period_end),
    };
  }
}
