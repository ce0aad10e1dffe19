import { UnknownCalendar } from '../errors';
import { cnStateCouncilCalendar } from './cn-state-council';
import { CN_STATUTORY_BASELINE } from './cn-statutory';
import { ENGLAND_AND_WALES_YEARS } from './england-and-wales';
import type { OfficialNotice } from './official-notice';
import type { CalendarId, ProvisionalBaseline, WorkingCalendar } from './types';
import { US_FEDERAL_YEARS } from './us-federal';
import { buildWorkingCalendar, weekendsOnlyBaseline } from './working-calendar';

export const CALENDAR_IDS: readonly CalendarId[] = Object.freeze([
  'cn-state-council',
  'england-and-wales',
  'us-federal',
]);

/**
 * The working calendars a computation uses: the packaged data plus the notices an operator imported at
 * run time. Domain code takes one as an argument; adapters build it from the imported notices they
 * load (adapters/aws/calendar-notices.ts), so the same request gets the same dates everywhere.
 */
export interface CalendarSet {
  get(id: CalendarId): WorkingCalendar;
  /** The imported notices this set was built with (packaged ones are in the calendars themselves). */
  readonly importedNotices: readonly OfficialNotice[];
}

const BASELINES: Record<CalendarId, ProvisionalBaseline> = {
  'cn-state-council': CN_STATUTORY_BASELINE,
  'england-and-wales': weekendsOnlyBaseline({
    authority: 'Banking and Financial Dealings Act 1971',
    title: 'Weekends only: bank holidays of years beyond the generated data are not counted',
    url: 'https://www.legislation.gov.uk/ukpga/1971/80/schedule/1',
    published: '1971-12-16',
  }),
  'us-federal': weekendsOnlyBaseline({
    authority: '5 U.S.C. 6103',
    title: 'Weekends only: federal holidays of years beyond the generated data are not counted',
    url: 'https://www.law.cornell.edu/uscode/text/5/6103',
    published: '1968-06-28',
  }),
};

const ENGLAND_AND_WALES = buildWorkingCalendar({
  id: 'england-and-wales',
  name: 'England and Wales (bank holidays)',
  years: ENGLAND_AND_WALES_YEARS,
  baseline: BASELINES['england-and-wales'],
  annualNotice: false,
});

const US_FEDERAL = buildWorkingCalendar({
  id: 'us-federal',
  name: 'United States (federal holidays, observed)',
  years: US_FEDERAL_YEARS,
  baseline: BASELINES['us-federal'],
  annualNotice: false,
});

/** Builds the set for these imported notices (none: the packaged calendars alone). */
export function calendarSet(importedNotices: readonly OfficialNotice[] = []): CalendarSet {
  return setOf(importedNotices, [cnStateCouncilCalendar(importedNotices), ENGLAND_AND_WALES, US_FEDERAL]);
}

function setOf(importedNotices: readonly OfficialNotice[], list: readonly WorkingCalendar[]): CalendarSet {
  const calendars = new Map<string, WorkingCalendar>(list.map((calendar) => [calendar.id, calendar]));
  return Object.freeze({
    importedNotices,
    get(id: CalendarId): WorkingCalendar {
      const calendar = calendars.get(id);
      if (!calendar) throw new UnknownCalendar(id);
      return calendar;
    },
  });
}

/** The packaged calendars, before any notice is imported. */
export const PACKAGED_CALENDARS: CalendarSet = calendarSet();

/**
 * Every calendar on its provisional baseline alone, official data ignored: what `dsar deadline
 * --calendar statutory` counts on, so anyone can re-run the back-test of the statutory rule.
 */
export const STATUTORY_CALENDARS: CalendarSet = setOf(
  [],
  [ENGLAND_AND_WALES, US_FEDERAL, cnStateCouncilCalendar()].map((calendar) =>
    buildWorkingCalendar({
      id: calendar.id,
      name: `${calendar.name}, statutory baseline only`,
      years: [],
      baseline: BASELINES[calendar.id],
      annualNotice: calendar.annualNotice,
    }),
  ),
);

/** Throws UnknownCalendar for an id no calendar provides (ids read from files are only cast, not checked). */
export function getCalendar(id: CalendarId, calendars: CalendarSet = PACKAGED_CALENDARS): WorkingCalendar {
  return calendars.get(id);
}

export function isCalendarId(id: string): id is CalendarId {
  return (CALENDAR_IDS as readonly string[]).includes(id);
}
