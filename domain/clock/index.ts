/** The legal clock's primitives: plain dates, official working calendars, and working-day periods. */
export {
  CALENDAR_IDS,
  type CalendarSet,
  calendarSet,
  getCalendar,
  isCalendarId,
  PACKAGED_CALENDARS,
  STATUTORY_CALENDARS,
} from './calendars';
export { PACKAGED_NOTICES } from './calendars/cn-state-council';
export {
  type CheckedNotice,
  checkNotice,
  type DayClass,
  type OfficialNotice,
  OfficialNoticeSchema,
} from './calendars/official-notice';
export type {
  CalendarDay,
  CalendarId,
  CalendarSource,
  CalendarYear,
  DayStatus,
  WorkingCalendar,
} from './calendars/types';
export { WEEKEND_REST_DAY } from './calendars/working-calendar';
export {
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
