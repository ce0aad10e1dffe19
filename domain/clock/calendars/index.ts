import { UnknownCalendar } from '../errors';
import { CN_STATE_COUNCIL_YEARS } from './cn-state-council';
import { ENGLAND_AND_WALES_YEARS } from './england-and-wales';
import type { CalendarId, WorkingCalendar } from './types';
import { US_FEDERAL_YEARS } from './us-federal';
import { buildWorkingCalendar } from './working-calendar';

export const CALENDAR_IDS: readonly CalendarId[] = Object.freeze([
  'cn-state-council',
  'england-and-wales',
  'us-federal',
]);

const CALENDARS: ReadonlyMap<string, WorkingCalendar> = new Map<CalendarId, WorkingCalendar>([
  [
    'cn-state-council',
    buildWorkingCalendar(
      'cn-state-council',
      'Mainland China (State Council holiday arrangements, with make-up workdays)',
      CN_STATE_COUNCIL_YEARS,
    ),
  ],
  [
    'england-and-wales',
    buildWorkingCalendar('england-and-wales', 'England and Wales (bank holidays)', ENGLAND_AND_WALES_YEARS),
  ],
  [
    'us-federal',
    buildWorkingCalendar('us-federal', 'United States (federal holidays, observed)', US_FEDERAL_YEARS),
  ],
]);

/** Throws UnknownCalendar for an id no calendar provides (ids read from files are only cast, not checked). */
export function getCalendar(id: CalendarId): WorkingCalendar {
  const calendar = CALENDARS.get(id);
  if (!calendar) throw new UnknownCalendar(id);
  return calendar;
}

export function isCalendarId(id: string): id is CalendarId {
  return CALENDARS.has(id);
}
