import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvLine } from '../../../domain/csv';
import {
  CSV_BYTE_ORDER_MARK,
  CsvColumns,
  type CsvSourceRecord,
  cellText,
  csvRecordLine,
  flattenRecord,
} from '../../../domain/export/csv';
import { parseCsv } from './rfc4180';

const record = (
  data: Record<string, unknown>,
  category = 'account',
  recordKey = 'accounts#u1',
): CsvSourceRecord => ({
  category,
  recordKey,
  data,
});

/** Any text, with the characters CSV and spreadsheets treat specially over-represented. */
const text = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: fc.constantFrom('"', ',', '\r', '\n', '=', '-', 'a', '中', ' ', '\uFEFF') }),
);

/** JSON-like values as connectors return them: nested objects, arrays, any text (Chinese, quotes, line breaks). */
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;
const exportedRecord = fc.record({
  category: fc.string(),
  recordKey: fc.string(),
  data: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), jsonValue, { maxKeys: 6 }),
});

describe('CSV of exported records', () => {
  it('flattens nested objects into dot-path columns after the category and record key', () => {
    const cells = flattenRecord(
      record({ name: '李雷', address: { city: '上海', geo: { lat: 31.2 } }, tags: ['a', 'b'], note: null }),
    );
    expect([...cells]).toEqual([
      ['category', 'account'],
      ['recordKey', 'accounts#u1'],
      ['data.name', '李雷'],
      ['data.address.city', '上海'],
      ['data.address.geo.lat', '31.2'],
      ['data.tags', '["a","b"]'],
      ['data.note', ''],
    ]);
  });

  it('collects the union of columns in first-seen order, whatever each record lacks', () => {
    const columns = new CsvColumns();
    columns.add(record({ a: 1, nested: { x: 1 } }));
    columns.add(record({ b: 2, nested: { y: 2 } }));
    columns.add(record({ a: 3 }));
    expect(columns.list()).toEqual([
      'category',
      'recordKey',
      'data.a',
      'data.nested.x',
      'data.b',
      'data.nested.y',
    ]);
  });

  it.each([
    ['a comma', 'a,b', '"a,b"'],
    ['a double quote', 'say "hi"', '"say ""hi"""'],
    ['a line feed', 'line1\nline2', '"line1\nline2"'],
    ['a carriage return', 'line1\rline2', '"line1\rline2"'],
    ['nothing special', '普通文本', '普通文本'],
  ])('quotes a field with %s as RFC 4180 says', (_case, value, field) => {
    expect(csvLine([value, 'x'])).toBe(`${field},x\r\n`);
  });

  it.each([
    ['=HYPERLINK("http://evil.example")', `'=HYPERLINK("http://evil.example")`],
    ['+1+2', `'+1+2`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tcmd', `'\tcmd`],
    ['-12.5', '-12.5'],
    ['+86', '+86'],
    ['a=b', 'a=b'],
  ])('keeps a spreadsheet from running %j as a formula', (value, cell) => {
    expect(cellText(value)).toBe(cell);
  });

  it('leaves numbers alone, negative ones included', () => {
    expect(cellText(-3)).toBe('-3');
  });

  it('writes any text so that an RFC 4180 reader gets it back exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(text, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          // A row of one empty field is an empty line, which no CSV can tell from nothing.
          fc.pre(rows.every((row) => row.length > 1 || row[0] !== ''));
          expect(parseCsv(rows.map((row) => csvLine(row)).join(''))).toEqual(rows);
        },
      ),
    );
  });

  it('gives every record exactly one field per column, whatever its values', () => {
    fc.assert(
      fc.property(fc.array(exportedRecord, { minLength: 1, maxLength: 8 }), (records) => {
        const columns = new CsvColumns();
        for (const each of records) columns.add(each);
        const header = columns.list();
        const text = csvLine(header) + records.map((each) => csvRecordLine(header, each)).join('');
        const rows = parseCsv(text);
        expect(rows).toHaveLength(records.length + 1);
        for (const [index, row] of rows.entries()) {
          expect(row).toHaveLength(header.length);
          if (index > 0) {
            const cells = flattenRecord(records[index - 1]!);
            expect(row).toEqual(header.map((column) => cells.get(column) ?? ''));
          }
        }
      }),
    );
  });

  it('reads Chinese back from the byte-order-marked UTF-8 file', () => {
    const bytes = Buffer.from(
      CSV_BYTE_ORDER_MARK + csvLine(['姓名', '城市']) + csvLine(['李雷', '上海']),
      'utf8',
    );
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parseCsv(bytes.toString('utf8').slice(1))).toEqual([
      ['姓名', '城市'],
      ['李雷', '上海'],
    ]);
  });
});
