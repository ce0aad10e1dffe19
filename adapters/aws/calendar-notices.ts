/**
 * The calendars every deadline is computed on: the packaged data plus the official notices an operator
 * imported at run time (CalendarNotices table). Loaded once and cached for a minute per container: a
 * notice arrives once a year, and a minute's delay only means a date stays provisional a minute longer.
 *
 * A read that fails falls back to the packaged calendars (logged and counted): a provisional date is
 * never later than the official one, so the fallback can cost a few days of slack, never a missed
 * deadline, and never a 5xx to the requester.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { CalendarSource } from '../../app/ports';
import {
  type CalendarSet,
  calendarSet,
  checkNotice,
  type OfficialNotice,
  PACKAGED_CALENDARS,
} from '../../domain/clock';
import { documentClient } from './clients/dynamodb';
import { logger, metrics } from './runtime';

const CACHE_MS = 60_000;
const CALENDAR_ID = 'cn-state-council';
/** The sort key of the item holding the calendar's audit chain head (lastSeq, lastHash); notices have real years. */
export const CHAIN_HEAD_YEAR = 0;

/** One imported notice as stored: the notice itself, and who imported it when. */
export interface StoredNotice {
  calendarId: string;
  year: number;
  notice: OfficialNotice;
  importedAt: string;
  importedBy: string;
  /** SHA-256 of the notice as imported, so the trail can name exactly what changed the calendar. */
  sha256: string;
}

let cached: { at: number; calendars: CalendarSet } | undefined;

/** The stored notices, oldest year first; empty where the table is not configured (it always is on AWS). */
export async function listImportedNotices(): Promise<StoredNotice[]> {
  const table = process.env.CALENDAR_NOTICES_TABLE;
  if (table === undefined || table === '') return [];
  const notices: StoredNotice[] = [];
  const pages = paginateQuery(
    { client: documentClient },
    {
      TableName: table,
      // Year 0 is the chain head of the calendar's audit trail (calendar-import-store.ts), not a notice.
      KeyConditionExpression: 'calendarId = :calendarId AND #year > :head',
      ExpressionAttributeNames: { '#year': 'year' },
      ExpressionAttributeValues: { ':calendarId': CALENDAR_ID, ':head': CHAIN_HEAD_YEAR },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) notices.push(...((page.Items ?? []) as StoredNotice[]));
  return notices;
}

/** The calendars with every imported notice merged in; `now` lets tests and the sweeper skip the cache. */
export async function loadCalendars(options: { fresh?: boolean } = {}): Promise<CalendarSet> {
  const now = Date.now();
  if (!options.fresh && cached !== undefined && now - cached.at < CACHE_MS) return cached.calendars;
  let calendars: CalendarSet;
  try {
    const stored = await listImportedNotices();
    // Checked again on the way in: a hand-edited item must not silently change the legal clock.
    calendars = calendarSet(stored.map((item) => checkNotice(item.notice).notice));
  } catch (error) {
    logger.error('Imported calendar notices not read; counting on the packaged calendars', {
      errorName: error instanceof Error ? error.name : 'UnknownError',
    });
    metrics.addMetric('CalendarNoticesUnreadable', MetricUnit.Count, 1);
    calendars = PACKAGED_CALENDARS;
  }
  cached = { at: now, calendars };
  return calendars;
}

/** loadCalendars as the use cases' CalendarSource port. */
export const calendarSource: CalendarSource = { calendars: (options) => loadCalendars(options) };
