import fc from 'fast-check';
import { groupBy } from './group-by.js';

describe('groupBy', () => {
  it('groups by key, keeping first-seen order of groups and items', () => {
    const groups = groupBy(['b1', 'a1', 'b2', 'c1', 'a2'], (item) => item[0]);
    expect([...groups]).toEqual([
      ['b', ['b1', 'b2']],
      ['a', ['a1', 'a2']],
      ['c', ['c1']],
    ]);
  });

  it('is empty for no items', () => {
    expect(groupBy([], () => 1).size).toBe(0);
  });

  it('puts every item in exactly the group of its key', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 })), (items) => {
        const groups = groupBy(items, (item) => item % 5);
        expect([...groups.values()].flat().sort((a, b) => a - b)).toEqual([...items].sort((a, b) => a - b));
        for (const [key, group] of groups) expect(group.every((item) => item % 5 === key)).toBe(true);
      }),
    );
  });
});
