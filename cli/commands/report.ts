/**
 * `dsar report`: the console report (GET /v1/console/reports) of the running
 * local pipeline, as a readable table, JSON or CSV. It signs itself a short
 * auditor token with the local issuer's key (as `dsar token` does), so it
 * needs nothing but the state directory; the API's URL is the issuer the
 * local pipeline recorded there, unless --api names another.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isPlainDate } from '../../domain/clock';
import type { Report, ReportCounts } from '../../domain/reports/report';
import { REPORT_FORMATS } from '../../domain/reports/report-input';
import { mintConsoleToken, readIssuerConfig } from '../../local/console-issuer';
import { type CliCommand, type CliIo, UsageError } from '../command';
import { DEFAULT_STATE_DIR } from '../options';
import { formatTable } from './policies';

const OUTPUT_FORMATS = ['table', ...REPORT_FORMATS] as const;
type OutputFormat = (typeof OUTPUT_FORMATS)[number];
/** The console user the report's token names: visible as such wherever the API logs its caller. */
const REPORT_USER = 'local-report';

const usage = `Usage: dsar report [options]

Prints the console report of the local pipeline (start it first with npm start): open, due within
3 days, overdue, breached, closed on time or late, and the median days to close, overall, per
policy and per channel.

Options:
  --format <format>    table (default), json or csv
  --from <date>        first receipt day included (YYYY-MM-DD, in each policy's time zone)
  --to <date>          last receipt day included
  --api <url>          the API's base URL (default: the one the local pipeline recorded)
  --state-dir <dir>    the local pipeline's state directory (default: .local in the repository)
  -h, --help           show this help`;

/** The API answered, but not with a report (no console role, a fault, an API that is not this one). */
export class ReportRefused extends Error {
  override name = 'ReportRefused' as const;
}

/** Nothing answered at the API's address. */
export class LocalApiUnreachable extends Error {
  override name = 'LocalApiUnreachable' as const;
  constructor(api: string, cause: unknown) {
    super(`cannot reach ${api}: start the local pipeline (npm start), or pass --api`, { cause });
  }
}

function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

function dateOption(option: string, value: string | undefined): string | undefined {
  if (value !== undefined && !isPlainDate(value)) {
    throw new UsageError(`--${option} '${value}' is not a date: expected YYYY-MM-DD`);
  }
  return value;
}

const COLUMNS: readonly [heading: string, counts: keyof ReportCounts][] = [
  ['received', 'received'],
  ['open', 'open'],
  ['due≤3d', 'dueWithin3Days'],
  ['overdue', 'overdue'],
  ['breached', 'breached'],
  ['closed', 'closed'],
  ['on time', 'closedOnTime'],
  ['late', 'closedLate'],
  ['unknown', 'closedTimingUnknown'],
  ['no due', 'closedWithoutDueDate'],
  ['median d', 'medianDaysToClose'],
];

/** The report as aligned columns: overall first, then each policy and each channel that received anything. */
export function reportTable(report: Report): string {
  const row = (label: string, counts: ReportCounts) => [
    label,
    ...COLUMNS.map(([, key]) => String(counts[key] ?? '-')),
  ];
  const range =
    report.receivedFrom === null && report.receivedTo === null
      ? 'all receipt days'
      : `received ${report.receivedFrom ?? '…'} to ${report.receivedTo ?? '…'}`;
  const table = formatTable([
    ['', ...COLUMNS.map(([heading]) => heading)],
    row('overall', report.overall),
    ...report.byPolicy
      .filter((policy) => policy.received > 0)
      .map((policy) => row(`policy ${policy.policyId}`, policy)),
    ...report.byChannel
      .filter((channel) => channel.received > 0)
      .map((channel) => row(`channel ${channel.channel}`, channel)),
  ]);
  return [
    `Report as of ${report.asOf}, ${range}`,
    '',
    table,
    '',
    `due≤3d: due within ${report.dueSoonDays} calendar days; unknown: closed before close times were recorded;`,
    'no due: closed before the clock started; median d: median calendar days from receipt to close.',
  ].join('\n');
}

async function run(args: string[], io: CliIo): Promise<void> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      format: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      api: { type: 'string' },
      'state-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${usage}\n`);
    return;
  }
  const format = values.format ?? 'table';
  if (!isOutputFormat(format)) {
    throw new UsageError(`--format '${format}' is not one of ${OUTPUT_FORMATS.join(', ')}`);
  }
  const from = dateOption('from', values.from);
  const to = dateOption('to', values.to);
  if (from !== undefined && to !== undefined && to < from) {
    // YYYY-MM-DD strings order as the days they name.
    throw new UsageError(`--to ${to} is before --from ${from}`);
  }
  const stateDir = resolve(values['state-dir'] ?? DEFAULT_STATE_DIR);
  const api = (values.api ?? readIssuerConfig(stateDir).issuer).replace(/\/+$/, '');
  const token = mintConsoleToken({ stateDir, roles: ['auditor'], user: REPORT_USER, hours: 1 });
  const query = new URLSearchParams({
    format: format === 'csv' ? 'csv' : 'json',
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  });
  let response: Response;
  try {
    response = await fetch(`${api}/v1/console/reports?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
  } catch (error) {
    throw new LocalApiUnreachable(api, error);
  }
  const body = await response.text();
  if (!response.ok) {
    let message = body;
    try {
      message = (JSON.parse(body) as { error: { message: string } }).error.message;
    } catch {
      // Not a problem document: report the body as it came.
    }
    throw new ReportRefused(`the API answered ${response.status}: ${message}`);
  }
  if (format === 'csv') io.stdout(body);
  else if (format === 'json') io.stdout(`${JSON.stringify(JSON.parse(body), null, 2)}\n`);
  else io.stdout(`${reportTable(JSON.parse(body) as Report)}\n`);
}

export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'Print the console report of the local pipeline (npm start): table, JSON or CSV',
  usage,
  run,
};
