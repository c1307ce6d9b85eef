import { TailCursor } from './tail.js';

const page = (...ids: string[]) => ids.map((id) => ({ id }));

describe('TailCursor', () => {
  it('answers the events of a newest-first page not seen before, oldest first', () => {
    const cursor = new TailCursor();
    expect(cursor.take(page('evt_3', 'evt_2', 'evt_1'))).toEqual(page('evt_1', 'evt_2', 'evt_3'));
    expect(cursor.take(page('evt_5', 'evt_4', 'evt_3', 'evt_2'))).toEqual(page('evt_4', 'evt_5'));
    expect(cursor.take(page('evt_5', 'evt_4'))).toEqual([]);
  });

  it('still shows an event that committed late with an older id', () => {
    const cursor = new TailCursor();
    cursor.take(page('evt_5', 'evt_3'));
    expect(cursor.take(page('evt_6', 'evt_5', 'evt_4', 'evt_3'))).toEqual(page('evt_4', 'evt_6'));
  });

  it('forgets the oldest ids past its memory', () => {
    const cursor = new TailCursor(2);
    cursor.take(page('c', 'b', 'a'));
    expect([cursor.has('a'), cursor.has('b'), cursor.has('c')]).toEqual([false, true, true]);
  });
});
