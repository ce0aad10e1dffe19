/**
 * The timer sweep: walks every open request, page by page, through the
 * repository's open-request index (due-date order, never a scan) and lets each
 * job in SWEEP_JOBS act on it. Scheduled every minute on AWS (EventBridge) and
 * in local mode (local/stack.ts); the entry file is lambdas/SweepRequests.ts.
 *
 * Each job is one concern and one file in app/timers/ (expiring unverified
 * requests, recomputing provisional deadlines whose year's notice is now
 * imported, then the reply timers); expired export packages are deleted
 * bucket-wide, hourly, and the audit trails anchored once the latest anchor is
 * a day old (app/audit/anchor-trails.ts). A job decides on the index copy, which may be stale,
 * then decides again on a consistent read and writes with the request's
 * optimistic lock, so the sweep is idempotent and safe to retry. Once a job
 * has changed a request, later jobs leave it for the next sweep, which will
 * see it as it now is. A job that fails on a request is logged and counted;
 * the other jobs, and the other requests, go on.
 *
 * The event may carry `{ "now": "<ISO instant>" }` to sweep as of another
 * time (tests, and replaying a missed sweep); otherwise the clock's time.
 */
import { z } from 'zod';
import { AUDIT_ANCHOR_FAILED_METRIC, CALENDAR_YEAR_MISSING_METRIC } from '../../definitions/metrics';
import { PermanentError, TransientError } from '../../domain/errors';
import { missingCalendarYear, WATCHED_CALENDAR } from '../../domain/timers/calendar-year-watch';
import { type AnchorTrailsDeps, anchorTrailsIfDue } from '../audit/anchor-trails';
import type { CalendarSource } from '../ports';
import { StaleRequest } from '../request-writes';
import { enforceDeadlineTimers } from './deadline-timers';
import { endFulfilmentWait } from './end-fulfilment-wait';
import { expireUnverified } from './expire-unverified';
import { deleteExpiredExports } from './expired-exports';
import { minimiseClosedRequests } from './minimise-closed';
import type { ExportObjects } from './ports';
import { recomputeProvisionalDeadlines } from './provisional-deadlines';
import { reconcileWorkflows } from './reconcile-workflows';
import { errorNameOf, type SweepContext, type SweepJob, type SweepJobDeps } from './sweep-job';

/**
 * Every job, in the order they look at a request. Adding a job is one file in app/timers/ exporting a
 * SweepJob, and one line here (and, if it needs a port no job had, a field of SweepJobDeps).
 */
export const SWEEP_JOBS: readonly SweepJob[] = [
  expireUnverified,
  // Before the reconciler, which would otherwise find a request whose wait is over with no execution.
  endFulfilmentWait,
  // Before the timers: they must see the official dates, which they do from the next sweep.
  recomputeProvisionalDeadlines,
  enforceDeadlineTimers,
  // Last: a stuck request still gets its reminders and breach; the reconciler looks at what is left.
  reconcileWorkflows,
];

/** The event is not a schedule's event nor `{ now }` with an ISO instant: retrying will not help. */
export class InvalidSweepEvent extends PermanentError {
  override readonly name = 'InvalidSweepEvent' as const;
  readonly code = 'invalid-sweep-event';
}

/** Some requests could not be swept. Transient by nature: the next sweep (or a retry) tries them again. */
export class SweepIncomplete extends TransientError {
  override readonly name = 'SweepIncomplete' as const;
  readonly code = 'sweep-incomplete';
  constructor(readonly failed: number) {
    super(`${failed} request(s) could not be swept`);
  }
}

/** Not strict: a scheduler's own event fields (id, time, detail-type, …) are allowed and ignored. */
const SweepEventSchema = z.looseObject({ now: z.iso.datetime({ offset: true }).optional() });

export interface SweepInput {
  /** Sweep as of this instant instead of the clock's. */
  readonly asOf?: Date;
  /** The jobs to run; SWEEP_JOBS unless given. */
  readonly jobs?: readonly SweepJob[];
}

/** The sweep's input from the Lambda event; InvalidSweepEvent if it is neither `{ now }` nor a schedule's. */
export function parseSweepEvent(event: unknown): SweepInput {
  const parsed = SweepEventSchema.safeParse(event ?? {});
  if (!parsed.success) throw new InvalidSweepEvent('Expected { "now": "<ISO instant>" } or a schedule event');
  return parsed.data.now ? { asOf: new Date(parsed.data.now) } : {};
}

export interface SweepDeps extends SweepJobDeps {
  readonly calendars: CalendarSource;
  readonly objects: ExportObjects;
  /** The trail heads and the anchors bucket: the daily anchor of every audit trail. */
  readonly audit: AnchorTrailsDeps;
  readonly settings: {
    /** Requests per page of the index walk; small values only make sense in tests of the paging. */
    readonly pageSize: number;
  };
}

export interface SweepSummary {
  readonly now: string;
  readonly pages: number;
  readonly examined: number;
  /** Requests changed, by job name. */
  readonly changed: Readonly<Record<string, number>>;
  /** Changed by someone else while the job looked at them: left for the next sweep. */
  readonly skipped: number;
  readonly failed: number;
  /** The year whose official holiday notice should be imported by now and is not (domain/timers/calendar-year-watch.ts). */
  readonly calendarYearMissing?: number;
}

/** Runs `jobs` over every open request as of `context.now`. */
async function sweepOpenRequests(
  deps: SweepDeps,
  jobs: readonly SweepJob[],
  context: SweepContext,
): Promise<Omit<SweepSummary, 'now' | 'calendarYearMissing'>> {
  const changed: Record<string, number> = Object.fromEntries(jobs.map((job) => [job.name, 0]));
  let pages = 0;
  let examined = 0;
  let skipped = 0;
  let failed = 0;
  for await (const page of deps.requests.openRequests(deps.settings.pageSize)) {
    pages += 1;
    for (const candidate of page) {
      examined += 1;
      for (const job of jobs) {
        try {
          if ((await job.run(deps, candidate, context)) === 'changed') {
            changed[job.name] = (changed[job.name] ?? 0) + 1;
            break;
          }
        } catch (error) {
          if (error instanceof StaleRequest) {
            skipped += 1;
            break;
          }
          failed += 1;
          deps.telemetry.error('Sweep job failed', {
            job: job.name,
            requestId: candidate.requestId,
            errorName: errorNameOf(error),
          });
        }
      }
    }
  }
  return { pages, examined, changed, skipped, failed };
}

/**
 * The daily anchor, when due by the real clock (a sweep replayed "as of" another time must not write
 * an anchor dated then). A failure is logged and left to the next sweep, which finds it still due:
 * the requests' timers matter more than an anchor a minute late.
 */
async function anchorIfDue(deps: SweepDeps): Promise<void> {
  try {
    const anchor = await anchorTrailsIfDue(deps.audit, deps.clock.now());
    if (anchor !== undefined)
      deps.telemetry.info('Audit trails anchored', { anchoredAt: anchor.anchoredAt, trails: anchor.count });
  } catch (error) {
    deps.telemetry.count(AUDIT_ANCHOR_FAILED_METRIC);
    deps.telemetry.error('Audit anchor failed', { errorName: errorNameOf(error) });
  }
}

/** One sweep: every job over every open request, then (on the hour) the expired exports, and the daily anchor. */
export async function sweepRequests(deps: SweepDeps, input: SweepInput = {}): Promise<SweepSummary> {
  const now = input.asOf ?? deps.clock.now();
  const calendars = await deps.calendars.calendars({ fresh: true });
  const calendarYearMissing = missingCalendarYear(now, calendars);
  if (calendarYearMissing !== undefined) {
    // Once per sweep: the alarm watches the metric's maximum, the warning says what to import.
    deps.telemetry.count(CALENDAR_YEAR_MISSING_METRIC);
    deps.telemetry.warn(
      'Official holiday notice not imported: dates counted into that year are provisional',
      {
        calendar: WATCHED_CALENDAR,
        year: calendarYearMissing,
      },
    );
  }
  const walked = await sweepOpenRequests(deps, input.jobs ?? SWEEP_JOBS, { now, calendars });
  const summary: SweepSummary = {
    now: now.toISOString(),
    ...walked,
    ...(calendarYearMissing !== undefined ? { calendarYearMissing } : {}),
  };
  // Bucket-wide, not per request: once an hour is plenty (on AWS, lifecycle rules
  // delete the same objects; locally this is the only line). Always by the real
  // clock: a sweep replayed "as of" a later time must not delete live packages.
  const realNow = deps.clock.now();
  if (realNow.getUTCMinutes() === 0) {
    const deleted = await deleteExpiredExports(deps, { now: realNow });
    if (deleted.requestIds.length > 0)
      deps.telemetry.info('Expired exports deleted', { requests: deleted.requestIds.length });
    // Clear values of closed requests past their retention: hourly is exact enough for a period in days.
    const minimised = await minimiseClosedRequests(deps, { now: realNow, pageSize: deps.settings.pageSize });
    if (minimised.minimised > 0 || minimised.failed > 0)
      deps.telemetry.info('Closed requests minimised', { ...minimised });
  }
  await anchorIfDue(deps);
  deps.telemetry.count('OpenRequestsSwept', summary.examined);
  // Every minute: worth a line only when something happened.
  const acted = Object.values(summary.changed).some((count) => count > 0) || summary.skipped > 0;
  if (acted || summary.failed > 0) deps.telemetry.info('Sweep done', { ...summary });
  else deps.telemetry.debug('Sweep done', { ...summary });
  return summary;
}
