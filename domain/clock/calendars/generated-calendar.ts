import { InvalidCalendarData } from '../errors';
import { isPlainDate } from '../plain-date';
import type { CalendarDay, CalendarId, CalendarYear } from './types';

/** The shape scripts/generate-calendars.ts writes; dates are still plain strings until checked here. */
export interface GeneratedCalendarFile {
  calendarId: string;
  years: {
    year: number;
    source: CalendarYear['source'];
    holidays: { date: string; name: string }[];
    makeUpWorkdays: { date: string; name: string }[];
  }[];
}

/** Checks a generated file at load time, so a hand-edited or truncated file fails loudly, not silently. */
export function yearsFromGeneratedFile(id: CalendarId, file: GeneratedCalendarFile): CalendarYear[] {
  if (file.calendarId !== id) throw new InvalidCalendarData(id, `generated file is for '${file.calendarId}'`);
  const days = (list: { date: string; name: string }[]): CalendarDay[] =>
    list.map(({ date, name }) => {
      if (!isPlainDate(date)) throw new InvalidCalendarData(id, `'${date}' is not a YYYY-MM-DD date`);
      return { date, name };
    });
  return file.years.map((year) => ({
    year: year.year,
    source: year.source,
    holidays: days(year.holidays),
    makeUpWorkdays: days(year.makeUpWorkdays),
  }));
}
