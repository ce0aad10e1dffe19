/**
 * The timer sweep: walks every open request, page by page, through the sparse
 * byDueDate index (a Query on `openShard = 'OPEN'`, never a Scan) and lets
 * each job in SWEEP_JOBS act on it. Scheduled every minute on AWS (EventBridge)
 * and in local mode (local/stack.ts).
 *
 * Each job is one concern (expiring unverified requests, recomputing
 * provisional deadlines whose year's notice is now imported, then the reply
 * timers of deadline-timers.ts); expired export packages are deleted
 * bucket-wide, hourly. A job decides
 * on the index copy, which may be stale, then decides again on a consistent
 * read and writes with the request's optimistic lock, so two sweeps (or a sweep
 * and a requester) never both apply a change: the sweep is idempotent and safe
 * to retry. Once a job has changed a request, later jobs leave it for the next
 * sweep, which will see it as it now is.
 *
 * The event may carry `{ "now": "<ISO instant>" }` to sweep as of another
 * time (tests, and replaying a missed sweep); otherwise the current time.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { loadCalendars } from '../../adapters/aws/calendar-notices';
import { documentClient } from '../../adapters/aws/clients/dynamodb';
import { getRequest, StaleRequest, saveRequest } from '../../adapters/aws/request-store';
import { logger, metrics, requiredEnv } from '../../adapters/aws/runtime';
import type { CalendarSet } from '../../domain/clock';
import { PermanentError, TransientError } from '../../domain/errors';
import { type Actor, planTransition } from '../../domain/lifecycle';
import { getPolicy } from '../../domain/policy/registry';
import type { RequestRecord } from '../../domain/request-record';
import { missingCalendarYear, WATCHED_CALENDAR } from '../../domain/timers/calendar-year-watch';
import { isUnverifiedExpired } from '../../domain/unverified-expiry';
import { enforceDeadlineTimers } from './deadline-timers';
import { deleteExpiredExports } from './expired-exports';
import { recomputeProvisionalDeadlines } from './provisional-deadlines';

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

/** What a job did to one request. */
export type JobOutcome = 'changed' | 'unchanged';

/** One concern of the sweep, applied to every open request. */
export interface SweepJob {
  readonly name: string;
  /**
   * `candidate` comes from the index and may be stale; a job that writes must re-read first.
   * `calendars` are read once per sweep, with the notices imported so far.
   */
  run(candidate: RequestRecord, now: Date, calendars: CalendarSet): Promise<JobOutcome>;
}

const SWEEPER: Actor = { kind: 'system', id: 'SweepRequests' };

/** Must match CALENDAR_YEAR_MISSING_METRIC, which the operators' alarm watches (infra/constructs/observability). */
export const CALENDAR_YEAR_MISSING_METRIC = 'CalendarYearMissing';

/** Closes requests nobody verified within their policy's `unverifiedExpiryDays`. */
export const expireUnverified: SweepJob = {
  name: 'expire-unverified',
  async run(candidate, now) {
    if (!isUnverifiedExpired(getPolicy(candidate.policyId), candidate, now)) return 'unchanged';
    const record = await getRequest(candidate.requestId);
    const policy = getPolicy(record.policyId);
    if (!isUnverifiedExpired(policy, record, now)) return 'unchanged';
    const event = planTransition(record.status, {
      to: 'expired-unverified',
      actor: SWEEPER,
      at: now.toISOString(),
      reason: `not verified within ${policy.unverifiedExpiryDays} days of receipt`,
    });
    // No openShard: a closed request leaves the sparse byDueDate index.
    const { openShard: _closed, ...closed } = record;
    await saveRequest(record, { ...closed, status: 'expired-unverified' }, [event]);
    metrics.addMetric('RequestExpiredUnverified', MetricUnit.Count, 1);
    logger.info('Request expired unverified', { requestId: record.requestId, policy: policy.id });
    return 'changed';
  },
};

/** Every job, in the order they look at a request. */
export const SWEEP_JOBS: readonly SweepJob[] = [
  expireUnverified,
  // Before the timers: they must see the official dates, which they do from the next sweep.
  recomputeProvisionalDeadlines,
  enforceDeadlineTimers,
];

/** Open requests in due-date order, one page at a time. */
async function* openRequests(pageSize: number): AsyncGenerator<RequestRecord[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: requiredEnv('REQUESTS_TABLE'),
        IndexName: 'byDueDate',
        KeyConditionExpression: 'openShard = :open',
        ExpressionAttributeValues: { ':open': 'OPEN' },
        Limit: pageSize,
        ExclusiveStartKey: startKey,
      }),
    );
    yield (page.Items ?? []) as RequestRecord[];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
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

/** Runs `jobs` over every open request as of `now`. */
export async function sweep(jobs: readonly SweepJob[], now: Date, pageSize: number): Promise<SweepSummary> {
  const changed: Record<string, number> = Object.fromEntries(jobs.map((job) => [job.name, 0]));
  let pages = 0;
  let examined = 0;
  let skipped = 0;
  let failed = 0;
  const calendars = await loadCalendars({ fresh: true });
  const calendarYearMissing = missingCalendarYear(now, calendars);
  if (calendarYearMissing !== undefined) {
    // Once per sweep: the alarm watches the metric's maximum, the warning says what to import.
    metrics.addMetric(CALENDAR_YEAR_MISSING_METRIC, MetricUnit.Count, 1);
    logger.warn('Official holiday notice not imported: dates counted into that year are provisional', {
      calendar: WATCHED_CALENDAR,
      year: calendarYearMissing,
    });
  }
  for await (const page of openRequests(pageSize)) {
    pages += 1;
    for (const candidate of page) {
      examined += 1;
      for (const job of jobs) {
        try {
          if ((await job.run(candidate, now, calendars)) === 'changed') {
            changed[job.name] = (changed[job.name] ?? 0) + 1;
            break;
          }
        } catch (error) {
          if (error instanceof StaleRequest) {
            skipped += 1;
            break;
          }
          failed += 1;
          logger.error('Sweep job failed', {
            job: job.name,
            requestId: candidate.requestId,
            errorName: error instanceof Error ? error.name : 'UnknownError',
          });
        }
      }
    }
  }
  return {
    now: now.toISOString(),
    pages,
    examined,
    changed,
    skipped,
    failed,
    ...(calendarYearMissing !== undefined ? { calendarYearMissing } : {}),
  };
}

/** Page size of the index walk; small values only make sense in tests of the paging. */
function pageSize(): number {
  const configured = Number(process.env.SWEEP_PAGE_SIZE ?? 100);
  return Number.isSafeInteger(configured) && configured > 0 ? configured : 100;
}

async function lambdaHandler(event: unknown, _context: Context): Promise<SweepSummary> {
  const parsed = SweepEventSchema.safeParse(event ?? {});
  if (!parsed.success) throw new InvalidSweepEvent('Expected { "now": "<ISO instant>" } or a schedule event');
  const now = parsed.data.now ? new Date(parsed.data.now) : new Date();
  const summary = await sweep(SWEEP_JOBS, now, pageSize());
  // Bucket-wide, not per request: once an hour is plenty (on AWS, lifecycle rules
  // delete the same objects; locally this is the only line). Always by the real
  // clock: a sweep replayed "as of" a later time must not delete live packages.
  const realNow = new Date();
  if (realNow.getUTCMinutes() === 0) {
    const deleted = await deleteExpiredExports({ now: realNow });
    if (deleted.requestIds.length > 0)
      logger.info('Expired exports deleted', { requests: deleted.requestIds.length });
  }
  metrics.addMetric('OpenRequestsSwept', MetricUnit.Count, summary.examined);
  // Every minute: worth a line only when something happened.
  const acted = Object.values(summary.changed).some((count) => count > 0) || summary.skipped > 0;
  if (acted || summary.failed > 0) logger.info('Sweep done', { ...summary });
  else logger.debug('Sweep done', { ...summary });
  if (summary.failed > 0) throw new SweepIncomplete(summary.failed);
  return summary;
}

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics));
