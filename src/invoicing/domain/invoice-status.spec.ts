import {
  INVOICE_STATUSES,
  invoiceNumber,
  isFinal,
  isPayable,
  isVoidable,
  type InvoiceStatus,
} from './invoice-status.js';

describe('invoice status', () => {
  const TABLE: [InvoiceStatus, { payable: boolean; voidable: boolean; final: boolean }][] = [
    ['draft', { payable: false, voidable: true, final: false }],
    ['open', { payable: true, voidable: true, final: false }],
    ['paid', { payable: false, voidable: false, final: true }],
    ['void', { payable: false, voidable: false, final: true }],
    ['uncollectible', { payable: true, voidable: true, final: false }],
  ];

  it('covers every status', () => {
    expect(TABLE.map(([status]) => status).sort()).toEqual([...INVOICE_STATUSES].sort());
  });

  it.each(TABLE)('%s is %j', (status, expected) => {
    expect({ payable: isPayable(status), voidable: isVoidable(status), final: isFinal(status) }).toEqual(
      expected,
    );
  });
});

describe('invoiceNumber', () => {
  it.each([
    [1, 'INV-000001'],
    [42, 'INV-000042'],
    [999_999, 'INV-999999'],
    [1_000_000, 'INV-1000000'],
    [1_234_567, 'INV-1234567'],
  ])('%i → %s', (sequence, expected) => {
    expect(invoiceNumber(sequence)).toBe(expected);
  });
});
