import type { PlainDate } from '../plain-date';

export type CalendarId = 'cn-state-council' | 'england-and-wales' | 'us-federal';

/** Where a year's dates come from, so that every computed deadline can cite its legal basis. */
export interface CalendarSource {
  /** The body that publishes the dates, e.g. 国务院办公厅 General Office of the State Council. */
  authority: string;
  title: string;
  url: string;
  /**
   * YYYY-MM-DD. For an official notice, the date it was issued. For a generated calendar, the release
   * date of the generator's data (see `generatedBy`): the newest date its dates can reflect. For a
   * statutory baseline, the date the rules it applies came into force.
   */
  published: string;
  /** The notice's document number, e.g. 国办发明电〔2024〕12号. */
  documentNumber?: string;
  /** For generated calendars, the package and version the dates were computed with, e.g. date-holidays@3.37.0. */
  generatedBy?: string;
}

export interface CalendarDay {
  date: PlainDate;
  name: string;
}

/**
 * One calendar year of data. Official years list the dates their source announces; a date may lie in
 * the year before (a New Year span announced in the following year's notice, e.g. 2018-12-29 worked
 * under the 2019 notice).
 */
export interface CalendarYear {
  year: number;
  source: CalendarSource;
  /** Later notices that changed the year's arrangement (China 2015, 2019, 2020), oldest first. */
  amendedBy?: CalendarSource[];
  /** Days off that would otherwise be working days (and holidays that fall on a weekend). */
  holidays: CalendarDay[];
  /** Weekend days that are working days (China's 调休上班). Empty where the law has no such days. */
  makeUpWorkdays: CalendarDay[];
}

/**
 * How a year without official data is counted: a baseline built from the statutory rules so that a
 * date computed on it is never later than the one the official data will give (see
 * docs/legal-clock.md). Dates it answers are provisional.
 */
export interface ProvisionalBaseline {
  /** The statutory rules the baseline applies, cited on every provisional deadline. */
  source(year: number): CalendarSource;
  /** Rest-day name for `date` under the baseline (holiday or 'weekend'), undefined for a working day. */
  restDayName(date: PlainDate): string | undefined;
}

/** What the calendar says of one date, and whether the answer is provisional. */
export interface DayStatus {
  working: boolean;
  /** The holiday's name, 'weekend', or undefined for a working day. */
  restDayName: string | undefined;
  /**
   * The year whose missing official data made this answer provisional: usually the date's own year,
   * or the next one for a late-December weekend that next year's notice may turn into a workday.
   */
  provisionalYear?: number;
}

export interface WorkingCalendar {
  readonly id: CalendarId;
  readonly name: string;
  /** The official data, per year, in ascending order. */
  readonly years: readonly CalendarYear[];
  /** True where the official data comes from an annual notice (China), so next year's may be missing. */
  readonly annualNotice: boolean;
  /** Never throws: a year without official data is answered from the provisional baseline. */
  dayStatus(date: PlainDate): DayStatus;
  isWorkingDay(date: PlainDate): boolean;
  /** The holiday's name, 'weekend', or undefined for a working day. */
  restDayName(date: PlainDate): string | undefined;
  /** True when `year` has official data. */
  isOfficial(year: number): boolean;
  /** The source of `year`'s answers: the official notice or data, else the statutory baseline. */
  sourceFor(year: number): CalendarSource;
}

/** The rest-day name of an ordinary Saturday or Sunday. */
export const WEEKEND_REST_DAY = 'weekend';
