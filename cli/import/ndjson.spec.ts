import { Readable } from 'node:stream';
import { lines, parseNdjsonLine, readNdjson } from './ndjson.js';

async function all(text: string) {
  const out = [];
  for await (const record of readNdjson(Readable.from([text]))) out.push(record);
  return out;
}

describe('NDJSON reader', () => {
  it('reads one event per line, skipping blank lines but counting them', async () => {
    const records = await all('\uFEFF{"event_name":"a","reference":"r1"}\n\n  \r\n{"event_name":"b"}\r\n');
    expect(records).toEqual([
      { line: 1, text: '{"event_name":"a","reference":"r1"}', event: { event_name: 'a', reference: 'r1' } },
      { line: 4, text: '{"event_name":"b"}', event: { event_name: 'b' } },
    ]);
  });

  it('rejects a line that is not JSON, or JSON but not an object, as line_unparsable', async () => {
    const records = await all('{"a":\n[1]\n"x"\nnull\n{"ok":1}');
    expect(records.map((r) => [r.line, r.problem?.code ?? 'event'])).toEqual([
      [1, 'line_unparsable'],
      [2, 'line_unparsable'],
      [3, 'line_unparsable'],
      [4, 'line_unparsable'],
      [5, 'event'],
    ]);
    expect(records[0]!.text).toBe('{"a":');
  });

  it('keeps the original text of a refused line', () => {
    expect(parseNdjsonLine(7, 'nope')).toEqual({
      line: 7,
      text: 'nope',
      problem: { code: 'line_unparsable', message: expect.stringContaining('not JSON') },
    });
  });

  it('splits lines across chunk boundaries, CRLF or LF, and decodes a character split between chunks', async () => {
    const euro = Buffer.from('€');
    const chunks = [
      Buffer.from('{"a":"x'),
      euro.subarray(0, 1),
      Buffer.concat([euro.subarray(1), Buffer.from('"}\r\n{"b"')]),
      Buffer.from(':1}'),
    ];
    const out = [];
    for await (const line of lines(Readable.from(chunks))) out.push(line);
    expect(out).toEqual(['{"a":"x€"}', '{"b":1}']);
  });
});
