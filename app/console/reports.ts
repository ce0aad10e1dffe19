/**
 * The console report (domain/reports/report.ts): open, due within 3 days, overdue, breached, closed on
 * time or late and the median days to close, overall, per policy and per channel, for requests received
 * in an optional day range, as of the injected clock. The repository reads every request projected to
 * what a report counts (RequestRepository.reportRecords): no identifiers leave the table for a report.
 */
import { listPolicies } from '../../domain/policy/registry';
import { buildReport, type Report } from '../../domain/reports/report';
import type { ReportQuery } from '../../domain/reports/report-input';
import type { Clock, RequestRepository } from '../ports';

export interface ReportDeps {
  readonly requests: RequestRepository;
  readonly clock: Clock;
}

export async function consoleReport(
  deps: ReportDeps,
  range: Pick<ReportQuery, 'from' | 'to'>,
): Promise<Report> {
  const records = await deps.requests.reportRecords();
  return buildReport({
    records,
    policies: listPolicies(),
    asOf: deps.clock.now(),
    ...(range.from ? { receivedFrom: range.from } : {}),
    ...(range.to ? { receivedTo: range.to } : {}),
  });
}
