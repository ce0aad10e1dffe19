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
   * date of the generator's data (see `generatedBy`): the newest date its dates can reflect.
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

/** One calendar year of official data. Every listed date lies in `year`. */
export interface CalendarYear {
  year: number;
  source: CalendarSource;
  /** Days off that would otherwise be working days (and holidays that fall on a weekend). */
  holidays: CalendarDay[];
  /** Weekend days that are working days (China's 调休上班). Empty where the law has no such days. */
  makeUpWorkdays: CalendarDay[];
}

export interface WorkingCalendar {
  readonly id: CalendarId;
  readonly name: string;
  /** The official data, per year, in ascending order. */
  readonly years: readonly CalendarYear[];
  /** Throws CalendarDataMissing when `date`'s year has no official data. */
  isWorkingDay(date: PlainDate): boolean;
  /** The holiday's name, 'weekend', or undefined for a working day. Throws CalendarDataMissing too. */
  restDayName(date: PlainDate): string | undefined;
}
