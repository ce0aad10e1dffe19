import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlainDate } from '../../../domain/clock';
import { csvField, toCsv } from '../../../domain/csv';
import { REPORT_CSV_HEADER, reportCsv } from '../../../domain/reports/csv';
import { buildReport } from '../../../domain/reports/report';

/** An RFC 4180 reader, to check what the writer wrote: records end in CRLF, quoted fields double quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += char;
  }
  return rows;
}

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['', ''],
  ])('writes %j as %j', (cell, expected) => {
    expect(csvField(cell)).toBe(expected);
  });

  it.each(['=HYPERLINK("http://evil.example")', '+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'puts an apostrophe before %j so a spreadsheet reads text, not a formula',
    (cell) => {
      expect(parseCsv(`${csvField(cell)}\r\n`)).toEqual([[`'${cell}`]]);
    },
  );

  it('writes numbers as numbers and null as an empty field', () => {
    expect([csvField(-3), csvField(2.5), csvField(null)]).toEqual(['-3', '2.5', '']);
  });
});

describe('toCsv', () => {
  it('ends every record with CRLF', () => {
    expect(
      toCsv([
        ['a', 1],
        ['b', null],
      ]),
    ).toBe('a,1\r\nb,\r\n');
  });

  it('reads back as the cells it was given, formulas guarded', () => {
    const cells = fc.array(fc.array(fc.string(), { minLength: 1, maxLength: 5 }), { maxLength: 5 });
    fc.assert(
      fc.property(cells, (rows) => {
        const guarded = rows.map((row) => row.map((cell) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell)));
        expect(parseCsv(toCsv(rows))).toEqual(guarded);
      }),
    );
  });
});

describe('reportCsv', () => {
  it('writes a header, the overall row, a row per policy and a row per channel', () => {
    const report = buildReport({
      records: [
        {
          policyId: 'sufe',
          channel: 'email',
          status: 'fulfilled',
          receivedAt: '2025-03-03T01:00:00.000Z',
          closedAt: '2025-03-10T01:00:00.000Z',
          deadline: { dueDate: '2025-03-31' as PlainDate },
        },
      ],
      policies: [{ id: 'sufe', timeZone: 'Asia/Shanghai' }],
      asOf: new Date('2025-03-12T00:00:00Z'),
    });
    const rows = parseCsv(reportCsv(report));
    expect(rows[0]).toEqual([...REPORT_CSV_HEADER]);
    expect(rows.map((row) => `${row[0]}/${row[1]}`)).toEqual([
      'group/key',
      'overall/all',
      'policy/sufe',
      'channel/web',
      'channel/email',
      'channel/console',
      'channel/api',
    ]);
    expect(Object.fromEntries(REPORT_CSV_HEADER.map((column, i) => [column, rows[1]![i]]))).toMatchObject({
      received: '1',
      closed: '1',
      closedOnTime: '1',
      medianDaysToClose: '7',
    });
    expect(rows.find((row) => row[1] === 'web')!.at(-1)).toBe('');
  });
});
