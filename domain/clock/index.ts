/** The legal clock's primitives: plain dates, official working calendars, and working-day periods. */
export { CALENDAR_IDS, getCalendar, isCalendarId } from './calendars';
export type {
  NoticeArrangement,
  NoticeMakeUpWorkday,
  StateCouncilNotice,
} from './calendars/cn-state-council';
export { STATE_COUNCIL_NOTICES } from './calendars/cn-state-council';
export type {
  CalendarDay,
  CalendarId,
  CalendarSource,
  CalendarYear,
  WorkingCalendar,
} from './calendars/types';
export { WEEKEND_REST_DAY } from './calendars/working-calendar';
export {
  CalendarDataMissing,
  InvalidCalendarData,
  InvalidInstant,
  InvalidPeriodLength,
  InvalidPlainDate,
  InvalidTimeZone,
  UnknownCalendar,
} from './errors';
export { addWorkingDays, rollForwardToWorkingDay, workingDaysBetween } from './periods';
export type { DayOfWeek, PlainDate } from './plain-date';
export {
  addCalendarMonthsClamped,
  addDays,
  compareDates,
  dayOfWeek,
  daysBetween,
  isPlainDate,
  parsePlainDate,
  plainDateInZone,
  yearOf,
} from './plain-date';
