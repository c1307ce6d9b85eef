import fc from 'fast-check';
import { ValidationError } from '../errors/tally-error.js';
import { newId } from '../ids/ids.js';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type PageRequest,
  toListResponse,
  toPageRequest,
} from './pagination.js';

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('toPageRequest', () => {
  it('defaults limit to 10 and has no cursor', () => {
    expect(DEFAULT_PAGE_SIZE).toBe(10);
    expect(toPageRequest({}, 'customer')).toEqual({ limit: 10 });
  });

  it.each([
    ['1', 1],
    ['10', 10],
    ['42', 42],
    ['100', 100],
    ['007', 7],
    [1, 1],
    [100, 100],
  ])('accepts limit %p as %d', (limit, expected) => {
    expect(toPageRequest({ limit }, 'customer')).toEqual({ limit: expected });
  });

  it('caps the limit at 100', () => {
    expect(MAX_PAGE_SIZE).toBe(100);
  });

  it.each([
    '1.5',
    'abc',
    '',
    '0',
    '101',
    '-1',
    ' 5',
    '5 ',
    '1e1',
    '0x10',
    '+5',
    '99999999999999999999',
    1.5,
    0,
    101,
    -1,
    NaN,
    null,
  ])('rejects limit %p as parameter_invalid on limit', (limit) => {
    const error = thrownBy(() => toPageRequest({ limit }, 'customer'));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'parameter_invalid', param: 'limit', status: 400 });
  });

  it('accepts a starting_after id of the given kind', () => {
    const id = newId('customer');
    expect(toPageRequest({ starting_after: id, limit: '5' }, 'customer')).toEqual({
      limit: 5,
      startingAfter: id,
    });
    expect(toPageRequest({ starting_after: id }, 'customer')).toEqual({ limit: 10, startingAfter: id });
  });

  it.each([
    ['another kind', newId('account')],
    ['a prefix that shares letters', newId('charge')],
    ['junk', 'abc'],
    ['an empty string', ''],
    ['a prefix alone', 'cus_'],
    ['a non-string', 42],
    ['an array', [newId('customer')]],
    ['null', null],
  ])('rejects starting_after that is %s', (_label, startingAfter) => {
    const error = thrownBy(() => toPageRequest({ starting_after: startingAfter }, 'customer'));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'parameter_invalid', param: 'starting_after' });
  });

  it('checks limit before starting_after', () => {
    const error = thrownBy(() => toPageRequest({ limit: '0', starting_after: 'junk' }, 'customer'));
    expect(error).toMatchObject({ param: 'limit' });
  });

  it('accepts every integer from 1 to 100 and nothing outside (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), (n) => {
        const ok = n >= 1 && n <= 100;
        if (ok) expect(toPageRequest({ limit: String(n) }, 'invoice')).toEqual({ limit: n });
        else expect(() => toPageRequest({ limit: String(n) }, 'invoice')).toThrow(ValidationError);
      }),
    );
  });
});

describe('toListResponse', () => {
  const page = (limit: number): PageRequest => ({ limit });

  it.each([
    [[], 3, [], false],
    [[1, 2], 3, [2, 4], false],
    [[1, 2, 3], 3, [2, 4, 6], false],
    [[1, 2, 3, 4], 3, [2, 4, 6], true],
    [[1, 2, 3, 4, 5], 1, [2], true],
  ])('rows %j with limit %d give data %j and has_more %s', (rows, limit, data, hasMore) => {
    expect(toListResponse(rows, page(limit), (n) => n * 2)).toEqual({
      object: 'list',
      data,
      has_more: hasMore,
    });
  });

  it('maps only the rows it returns', () => {
    const presented: string[] = [];
    toListResponse([{ id: 'a' }, { id: 'b' }, { id: 'c' }], page(2), (row) => presented.push(row.id));
    expect(presented).toEqual(['a', 'b']);
  });

  it('slices to the limit, maps in order, and says has_more only past the limit (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer({ min: 1, max: 100 }), (rows, limit) => {
        const result = toListResponse(rows, page(limit), (n) => `#${n}`);
        expect(result.object).toBe('list');
        expect(result.has_more).toBe(rows.length > limit);
        expect(result.data).toEqual(rows.slice(0, limit).map((n) => `#${n}`));
        expect(result.data.length).toBe(Math.min(rows.length, limit));
      }),
    );
  });
});
