/**
 * CSV as RFC 4180 writes it (CRLF line ends; a field with a comma, a double
 * quote or a line break is quoted, its quotes doubled), with the guard
 * spreadsheets need: a text cell that starts with = + - @, a tab or a
 * carriage return would be read as a formula (OWASP "CSV injection"), so it
 * gets a leading apostrophe. Numbers are written as numbers, unguarded.
 */
import type { Report, ReportCounts } from './report';

export type CsvCell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  const guarded = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** Rows to CSV text, each record ended by CRLF (RFC 4180 allows the last one to be). */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

const COUNT_COLUMNS = [
  'received',
  'open',
  'dueWithin3Days',
  'overdue',
  'breached',
  'closed',
  'closedOnTime',
  'closedLate',
  'closedTimingUnknown',
  'closedWithoutDueDate',
  'medianDaysToClose',
] as const satisfies readonly (keyof ReportCounts)[];

export const REPORT_CSV_HEADER = ['group', 'key', ...COUNT_COLUMNS] as const;

/** The report as CSV: a header, then one row overall, one per policy and one per channel. */
export function reportCsv(report: Report): string {
  const row = (group: string, key: string, counts: ReportCounts): CsvCell[] => [
    group,
    key,
    ...COUNT_COLUMNS.map((column) => counts[column]),
  ];
  return toCsv([
    REPORT_CSV_HEADER,
    row('overall', 'all', report.overall),
    ...report.byPolicy.map((policy) => row('policy', policy.policyId, policy)),
    ...report.byChannel.map((channel) => row('channel', channel.channel, channel)),
  ]);
}
