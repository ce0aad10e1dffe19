/**
 * `dsar calendar import <file> [--replace]` and `dsar calendar status`: a year's official holiday notice
 * imported into the running local pipeline, and which years are official, through the console API
 * (PUT /v1/console/calendars/cn-state-council/notices/{year}, GET /v1/console/calendars), so the one
 * code path checks, stores and audits the notice. Like `dsar report`, it signs itself a short token
 * (a supervisor's, for the import) with the local issuer's key, so it needs nothing but the state
 * directory; --api names another API.
 *
 * A file the API refuses is answered with every problem, one a line on stderr, and exit code 2.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CalendarsOverview, NoticeSummary } from '../../domain/console/calendar-import';
import { AGENT_ID } from '../../domain/console/case-records';
import { mintConsoleToken, readIssuerConfig } from '../../local/console-issuer';
import { type CliCommand, type CliIo, UsageError } from '../command';
import { DEFAULT_STATE_DIR } from '../options';
import { formatTable } from './policies';
import { LocalApiUnreachable } from './report';

const usage = `Usage: dsar calendar import <file> [--replace] [options]
       dsar calendar status [options]

import   Imports a State Council holiday notice (JSON, the format of
         domain/clock/calendars/notices/cn-state-council/<year>.json; see docs/operations.md) into the
         local pipeline (npm start): checked, stored and audited by the console API. Prints how the
         notice classifies its year. A packaged or already imported year is replaced only with --replace.
status   Lists each calendar's official years with their source, packaged or imported (who, when,
         SHA-256), and whether next year's notice is missing.

Options:
  --replace            replace the year's packaged or imported notice
  --user <name>        the supervisor named on the audit trail (default: local-calendar)
  --json               print the API's answer as JSON
  --api <url>          the API's base URL (default: the one the local pipeline recorded)
  --state-dir <dir>    the local pipeline's state directory (default: .local in the repository)
  -h, --help           show this help`;

/** The API refused the notice (a bad file, a year already official, a role that may not import). */
export class NoticeRefused extends Error {
  override name = 'NoticeRefused' as const;
}

/** The API answered, but not as expected (a fault, an API that is not this one). */
export class CalendarApiFailed extends Error {
  override name = 'CalendarApiFailed' as const;
}

const CALENDAR_USER = 'local-calendar';

interface Problem {
  code?: string;
  message?: string;
  problems?: string[];
}

interface ImportAnswer {
  status: 'imported' | 'replaced';
  replaces: 'packaged' | 'imported' | null;
  calendarId: string;
  year: number;
  sha256: string;
  importedAt: string;
  importedBy: string;
  audit: { trail: string; seq: number };
  summary: NoticeSummary;
}

/** How an imported notice classifies its year, for the operator to compare with the published text. */
export function importReport(answer: ImportAnswer): string {
  const { summary } = answer;
  const verb =
    answer.status === 'imported'
      ? 'Imported'
      : `Replaced the ${answer.replaces} notice of ${answer.year} with`;
  return [
    `${verb} ${answer.calendarId} ${answer.year}: ${summary.source.documentNumber ?? ''}, published ${summary.source.published}`,
    `  ${summary.source.title}`,
    `  ${summary.source.url}`,
    `  sha256 ${answer.sha256}`,
    '',
    `Holidays ${summary.holidays}, make-up workdays ${summary.makeUpWorkdays}, weekend days ${summary.weekendDays}, working days ${summary.workingDays}`,
    '',
    formatTable([
      ['festival', 'days off', 'days', 'make-up workdays'],
      ...summary.festivals.map((festival) => [
        festival.festival,
        `${festival.daysOff.from} … ${festival.daysOff.to}`,
        String(festival.days),
        festival.makeUpWorkdays.join(', ') || '-',
      ]),
    ]),
    '',
    `Audit: ${answer.audit.trail} #${answer.audit.seq} by ${answer.importedBy} at ${answer.importedAt}`,
  ].join('\n');
}

/** Each calendar's official years; generated calendars (dozens of years) as one range line. */
export function statusReport(overview: CalendarsOverview): string {
  const lines = [`Calendars as of ${overview.today} (${overview.timeZone})`];
  for (const calendar of overview.calendars) {
    lines.push('', `${calendar.calendarId}: ${calendar.name}`);
    if (calendar.importable) {
      lines.push(
        formatTable(
          calendar.years.map((year) => [
            `  ${year.year}`,
            year.origin === 'imported'
              ? `imported by ${year.importedBy} at ${year.importedAt}${year.replacesPackaged ? ' (replaces the packaged notice)' : ''}`
              : 'packaged',
            year.source.documentNumber ?? '',
            `published ${year.source.published}`,
            year.source.url,
            year.sha256 ? `sha256 ${year.sha256.slice(0, 12)}…` : '',
            year.problems ? `NOT USED: ${year.problems.join('; ')}` : '',
          ]),
        ),
      );
    } else {
      const years = calendar.years.map((year) => year.year);
      lines.push(
        `  ${Math.min(...years)}–${Math.max(...years)} packaged (${calendar.years[0]?.source.url ?? ''})`,
      );
    }
    lines.push(
      calendar.nextYearMissing
        ? `  No official ${calendar.nextYear} calendar yet: dates into ${calendar.nextYear} are provisional`
        : `  ${calendar.nextYear}: ${calendar.nextYearOfficial ? 'official' : 'not yet watched (from 1 November)'}`,
    );
  }
  return lines.join('\n');
}

async function callApi(api: string, init: RequestInit & { path: string }): Promise<Response> {
  try {
    return await fetch(`${api}${init.path}`, init);
  } catch (error) {
    throw new LocalApiUnreachable(api, error);
  }
}

function problemOf(body: string): Problem {
  try {
    return (JSON.parse(body) as { error?: Problem }).error ?? {};
  } catch {
    return { message: body };
  }
}

function readNotice(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not JSON`);
  }
}

async function run(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      replace: { type: 'boolean' },
      user: { type: 'string' },
      json: { type: 'boolean' },
      api: { type: 'string' },
      'state-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [action, ...rest] = positionals;
  if (values.help || action === undefined) {
    io.stdout(`${usage}\n`);
    return;
  }
  const stateDir = resolve(values['state-dir'] ?? DEFAULT_STATE_DIR);
  const user = values.user ?? CALENDAR_USER;
  if (!AGENT_ID.test(user)) throw new UsageError(`--user '${user}' is not a console user name`);
  const api = () => (values.api ?? readIssuerConfig(stateDir).issuer).replace(/\/+$/, '');

  if (action === 'status') {
    if (rest.length > 0) throw new UsageError(`status takes no arguments, got '${rest.join(' ')}'`);
    const token = mintConsoleToken({ stateDir, roles: ['auditor'], user, hours: 1 });
    const response = await callApi(api(), {
      path: '/v1/console/calendars',
      headers: { authorization: `Bearer ${token}` },
    });
    const body = await response.text();
    if (!response.ok) {
      throw new CalendarApiFailed(`the API answered ${response.status}: ${problemOf(body).message ?? body}`);
    }
    const overview = JSON.parse(body) as CalendarsOverview;
    io.stdout(`${values.json ? JSON.stringify(overview, null, 2) : statusReport(overview)}\n`);
    return;
  }

  if (action !== 'import') throw new UsageError(`unknown action '${action}': import or status`);
  const [file, ...extra] = rest;
  if (file === undefined) throw new UsageError('import needs a notice file: dsar calendar import <file>');
  if (extra.length > 0) throw new UsageError(`import takes one file, got '${rest.join(' ')}'`);
  const notice = readNotice(file);
  const year = (notice as { year?: unknown }).year;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new UsageError(`${file} names no year ("year": 2027): it is not a notice`);
  }
  const token = mintConsoleToken({ stateDir, roles: ['supervisor'], user, hours: 1 });
  const response = await callApi(api(), {
    path: `/v1/console/calendars/cn-state-council/notices/${year}${values.replace ? '?replace=true' : ''}`,
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(notice),
  });
  const body = await response.text();
  if (!response.ok) {
    const problem = problemOf(body);
    if (response.status === 400 || response.status === 409) {
      for (const line of problem.problems ?? []) io.stderr(`  - ${line}\n`);
      throw new NoticeRefused(
        `${file} was not imported (${response.status} ${problem.code ?? ''}): ${
          problem.problems ? `${problem.problems.length} problem(s), listed above` : (problem.message ?? body)
        }`,
      );
    }
    throw new CalendarApiFailed(`the API answered ${response.status}: ${problem.message ?? body}`);
  }
  const answer = JSON.parse(body) as ImportAnswer;
  io.stdout(`${values.json ? JSON.stringify(answer, null, 2) : importReport(answer)}\n`);
}

export const calendarCommand: CliCommand = {
  name: 'calendar',
  summary: "Import a year's State Council notice into the local pipeline, or list the official years",
  usage,
  run,
};
