import fc from 'fast-check';
import { Pages } from './pages.js';

function pagesOver(ids: string[], size: number, fetched: (string | undefined)[] = []) {
  return new Pages(async (startingAfter) => {
    fetched.push(startingAfter);
    const from = startingAfter === undefined ? 0 : ids.indexOf(startingAfter) + 1;
    const data = ids.slice(from, from + size).map((id) => ({ id }));
    return { data, has_more: from + size < ids.length };
  });
}

describe('Pages', () => {
  it('iterates every item of every page once, in order, following the last id', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 7 }),
        async (count, size) => {
          const ids = Array.from({ length: count }, (_, i) => `obj_${i}`);
          const fetched: (string | undefined)[] = [];
          const seen: string[] = [];
          for await (const item of pagesOver(ids, size, fetched)) seen.push(item.id);
          expect(seen).toEqual(ids);
          expect(fetched.length).toBe(Math.max(1, Math.ceil(count / size)));
        },
      ),
    );
  });

  it('fetches no further page than the loop uses', async () => {
    const fetched: (string | undefined)[] = [];
    const pages = pagesOver(['a', 'b', 'c', 'd', 'e'], 2, fetched);
    expect((await pages.toArray(3)).map((item) => item.id)).toEqual(['a', 'b', 'c']);
    expect(fetched).toEqual([undefined, 'b']);
  });

  it('answers the first page alone with page()', async () => {
    expect(await pagesOver(['a', 'b', 'c'], 2).page()).toEqual({
      data: [{ id: 'a' }, { id: 'b' }],
      has_more: true,
    });
  });

  it('stops on an empty page even if it claims more', async () => {
    const pages = new Pages<{ id: string }>(async () => ({ data: [], has_more: true }));
    expect(await pages.toArray()).toEqual([]);
  });
});
