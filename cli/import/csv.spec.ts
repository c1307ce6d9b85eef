import { Readable } from 'node:stream';
import { csvColumns, csvEvent, readCsv } from './csv.js';
import { ImportFormatError } from './records.js';

async function all(text: string) {
  const out = [];
  for await (const record of readCsv(Readable.from([text]))) out.push(record);
  return out;
}

describe('CSV reader', () => {
  it('maps the header to event fields and metadata.<key> columns; empty cells are absent', async () => {
    const records = await all(
      'customer,event_name,value,reference,metadata.region,metadata.tier\r\n' +
        'cus_1,api_calls,1.5,r1,eu,\r\n' +
        'cus_2,api_calls,,,,\r\n',
    );
    expect(records).toEqual([
      {
        line: 2,
        text: 'cus_1,api_calls,1.5,r1,eu,',
        event: {
          customer: 'cus_1',
          event_name: 'api_calls',
          value: '1.5',
          reference: 'r1',
          metadata: { region: 'eu' },
        },
      },
      { line: 3, text: 'cus_2,api_calls,,,,', event: { customer: 'cus_2', event_name: 'api_calls' } },
    ]);
  });

  it('numbers a quoted multi-line record by its first line and skips blank lines', async () => {
    const records = await all('event_name,metadata.note\n\na,"two\nlines"\nb,"x, y"\n');
    expect(records.map((r) => [r.line, r.text, r.event])).toEqual([
      [3, 'a,"two\nlines"', { event_name: 'a', metadata: { note: 'two\nlines' } }],
      [5, 'b,"x, y"', { event_name: 'b', metadata: { note: 'x, y' } }],
    ]);
  });

  it('rejects a row whose cell count differs from the header, and goes on', async () => {
    const records = await all('event_name,value\na,1\nb\nc,3,4\nd,4\n');
    expect(records.map((r) => [r.line, r.problem?.code ?? r.event])).toEqual([
      [2, { event_name: 'a', value: '1' }],
      [3, 'line_unparsable'],
      [4, 'line_unparsable'],
      [5, { event_name: 'd', value: '4' }],
    ]);
    expect(records[1]!.text).toBe('b');
  });

  it('refuses an unknown, empty or repeated column name before reading any row', async () => {
    await expect(all('event_name,valu\na,1\n')).rejects.toThrow(ImportFormatError);
    expect(() => csvColumns(['event_name', ''])).toThrow(/no name/);
    expect(() => csvColumns(['value', 'value'])).toThrow(/twice/);
    expect(() => csvColumns(['metadata.'])).toThrow(/unknown column/);
  });

  it('builds an event from cells', () => {
    const columns = csvColumns(['account', 'event_name', 'start_time', 'end_time', 'markup_percentage']);
    expect(csvEvent(columns, ['acct_1', 'gpu', '2026-01-01T00:00:00Z', '', '20'])).toEqual({
      account: 'acct_1',
      event_name: 'gpu',
      start_time: '2026-01-01T00:00:00Z',
      markup_percentage: '20',
    });
  });
});
