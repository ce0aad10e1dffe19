/**
 * The console report as CSV, written by the one CSV writer (domain/csv.ts:
 * RFC 4180, CRLF, formula guard; numbers written as numbers).
 */
import { type CsvCell, toCsv } from '../csv';
import type { Report, ReportCounts } from './report';

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
