import fc from 'fast-check';
import { ExactDecimal } from '../../common/money/decimal.js';
import { NON_NEGATIVE_DECIMAL_PATTERN } from '../../common/validation/decorators.js';
import { THRESHOLD_PERCENT_PATTERN } from './credit.dto.js';

const decimal = new RegExp(NON_NEGATIVE_DECIMAL_PATTERN);
const percent = new RegExp(THRESHOLD_PERCENT_PATTERN);

/** Decimal texts as the DTO takes them, leading and trailing zeros included, around 100. */
const decimalText = fc
  .tuple(
    fc.nat({ max: 28 }),
    fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.bigInt({ min: 0n, max: 10n ** 29n }).map(String)),
    fc.option(fc.stringMatching(/^\d{1,18}$/)),
  )
  .map(
    ([zeros, integer, fraction]) =>
      `${'0'.repeat(zeros)}${integer}${fraction === null ? '' : `.${fraction}`}`,
  )
  .filter((text) => decimal.test(text));

describe('THRESHOLD_PERCENT_PATTERN', () => {
  it('takes exactly the decimal texts from 0 to 100', () => {
    fc.assert(
      fc.property(decimalText, (text) => percent.test(text) === !new ExactDecimal(text).greaterThan(100)),
      { numRuns: 5000 },
    );
  });

  it.each([
    ['100', true],
    ['100.000000000000000000', true],
    ['000000000000000000000000000100', true],
    ['99.999999999999999999', true],
    ['100.000000000000000001', false],
    ['101', false],
    ['0', true],
    ['20', true],
  ])('%s: %s', (text, expected) => {
    expect(percent.test(text)).toBe(expected);
  });
});
