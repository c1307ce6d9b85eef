import { Controller, Get, Param, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiAnswers } from '../common/http/openapi/api-contract.js';
import { MerchantId, Needs } from '../identity/auth.decorators.js';
import type { PayerKind } from '../payers/payer.entity.js';
import { PayersService } from '../payers/payers.service.js';
import { moneyText } from './domain/invoice-totals.js';
import { InvoiceBalances } from './dto/invoice-balance.dto.js';
import { InvoiceBalancesRepository } from './invoice-balances.repository.js';

/** `GET /v1/customers/:id/invoice_balances` and the same for accounts: the balance shown on the payer. */
function invoiceBalancesController(kind: PayerKind, path: string): Type<unknown> {
  @ApiTags(path)
  @ApiBearerAuth()
  @Controller(`v1/${path}`)
  class InvoiceBalancesController {
    constructor(
      readonly payers: PayersService,
      readonly balances: InvoiceBalancesRepository,
    ) {}

    /** What negative invoices carried forward and later invoices used, per currency, with every entry. */
    @Needs('read')
    @Get(':id/invoice_balances')
    @ApiAnswers(200, InvoiceBalances)
    async list(@MerchantId() merchantId: string, @Param('id') id: string): Promise<InvoiceBalances> {
      await this.payers.get(merchantId, kind, id);
      const balances = await this.balances.balances(merchantId, id);
      return {
        object: 'list',
        data: balances.map((balance) => ({
          object: 'invoice_balance',
          currency: balance.currency,
          amount: moneyText(balance.amount, balance.currency),
          entries: balance.entries.map((entry) => ({
            invoice: entry.invoiceId,
            kind: entry.kind,
            amount: moneyText(entry.amount, balance.currency),
            created_at: entry.createdAt.toISOString(),
          })),
        })),
      };
    }
  }
  Object.defineProperty(InvoiceBalancesController, 'name', {
    value: `${kind[0]!.toUpperCase()}${kind.slice(1)}InvoiceBalancesController`,
  });
  return InvoiceBalancesController;
}

export const CustomerInvoiceBalancesController = invoiceBalancesController('customer', 'customers');
export const AccountInvoiceBalancesController = invoiceBalancesController('account', 'accounts');
