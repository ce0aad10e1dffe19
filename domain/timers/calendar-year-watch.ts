/**
 * Whether an operator must be warned that a year's official holiday notice is missing. The State
 * Council publishes next year's arrangements in late October to mid-November; until it is imported,
 * every date counted into that year is provisional (on the statutory baseline, never later than the
 * official date, but a few days early). From 1 November in Shanghai the sweeper therefore reports next
 * year's notice as missing (`CalendarYearMissing`) until it is imported; from 1 January, the year's own.
 * Pure: `now` and the calendars come in as arguments.
 */
import type { CalendarSet } from '../clock';
import { plainDateInZone, yearOf } from '../clock';

/** The calendar whose official data comes from an annual notice an operator must import. */
export const WATCHED_CALENDAR = 'cn-state-council' as const;
/** The zone the notice's calendar lives in: 1 November starts at midnight there. */
export const WATCHED_ZONE = 'Asia/Shanghai';
/** Month and day (MM-DD) from which next year's notice is expected. */
export const NOTICE_EXPECTED_FROM = '11-01';

/** The year whose notice is missing and should be there by `now`, or undefined when none is. */
export function missingCalendarYear(now: Date, calendars: CalendarSet): number | undefined {
  const today = plainDateInZone(now, WATCHED_ZONE);
  const year = yearOf(today);
  const calendar = calendars.get(WATCHED_CALENDAR);
  if (!calendar.isOfficial(year)) return year;
  if (today.slice(5) >= NOTICE_EXPECTED_FROM && !calendar.isOfficial(year + 1)) return year + 1;
  return undefined;
}
