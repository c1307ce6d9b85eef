import { chart, fit, formatAxis } from './chart.js';

describe('chart', () => {
  it('plots a series with labelled rows, as tall as asked', () => {
    const lines = chart([0, 5, 10, 5, 0], { height: 4, width: 4 }).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^ {2}10 ┼/);
    expect(lines.at(-1)).toMatch(/^ {3}0 ┼/);
  });

  it('draws one bucket as a flat line and says when there is nothing', () => {
    expect(chart([3])).toMatch(/3 ┼─/);
    expect(chart([])).toBe('(no data)');
  });

  it('labels whole numbers and large ones as integers, small fractions with two decimals', () => {
    expect([formatAxis(3), formatAxis(1234.56), formatAxis(2.5), formatAxis(0.125)]).toEqual([
      '3',
      '1235',
      '2.5',
      '0.13',
    ]);
  });

  it('fits a long series into the columns by summing neighbouring buckets', () => {
    expect(fit([1, 2, 3, 4, 5], 10)).toEqual([1, 2, 3, 4, 5]);
    expect(fit([1, 2, 3, 4, 5], 2)).toEqual([6, 9]);
  });
});
