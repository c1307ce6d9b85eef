import { AGGREGATIONS, type Aggregation, valueRule, type ValueRule } from './aggregation.js';

const EXPECTED: Record<Aggregation, ValueRule> = {
  sum: 'decimal_required',
  average: 'decimal_required',
  markup_percentage: 'decimal_required',
  count: 'ignored',
  time_duration: 'ignored',
  count_unique: 'entity_id_required',
};

describe('valueRule', () => {
  it('the table covers exactly the known aggregations', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...AGGREGATIONS].sort());
  });

  it.each(Object.entries(EXPECTED) as [Aggregation, ValueRule][])('%s → %s', (aggregation, rule) => {
    expect(valueRule(aggregation)).toBe(rule);
  });
});
