/** How a metric turns a window's events into one quantity (DESIGN.md §4). Fixed once a metric exists. */
export const AGGREGATIONS = [
  'sum',
  'count',
  'count_unique',
  'average',
  'time_duration',
  'markup_percentage',
] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export const TIME_UNITS = ['second', 'minute', 'hour'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

/** What an event's `value` means for each aggregation. */
export type ValueRule = 'decimal_required' | 'ignored' | 'entity_id_required';

export function valueRule(aggregation: Aggregation): ValueRule {
  switch (aggregation) {
    case 'sum':
    case 'average':
    case 'markup_percentage':
      return 'decimal_required';
    case 'count':
    case 'time_duration':
      return 'ignored';
    case 'count_unique':
      return 'entity_id_required';
  }
}
