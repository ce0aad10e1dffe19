/**
 * An official holiday notice as data: the format of the packaged notices
 * (notices/cn-state-council/<year>.json) and of a notice an operator imports at run time
 * (`npx dsar calendar import`, or the console's calendar page), so both go through one check.
 *
 * The check expands the notice into a classification of every day of its year and refuses anything
 * that would silently mis-answer: a make-up workday that is not a weekend day, a printed weekday that
 * does not match the date, a day both off and worked, a date outside the year (a New Year span may
 * start in the last days of December before it), or a source without URL or document number.
 */
import { z } from 'zod';
import { InvalidCalendarData } from '../errors';
import { addDays, compareDates, dayOfWeek, isPlainDate, type PlainDate, yearOf } from '../plain-date';
import { type CalendarDay, type CalendarId, type CalendarYear, WEEKEND_REST_DAY } from './types';

export const WEEKDAY_NAMES = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;

const plainDate = z.string().refine(isPlainDate, 'expected a real date written YYYY-MM-DD');

export const OfficialNoticeSchema = z.strictObject({
  calendarId: z.literal('cn-state-council'),
  year: z.number().int().min(2000).max(2100),
  /** A transcriber's remark (which date `published` is, which special notice amends the year). */
  note: z.string().max(2000).optional(),
  source: z.strictObject({
    authority: z.string().min(1).max(200),
    title: z.string().min(1).max(300),
    url: z.url({ protocol: /^https$/ }).max(500),
    published: plainDate,
    documentNumber: z.string().min(1).max(100),
  }),
  arrangements: z
    .array(
      z.strictObject({
        festival: z.string().min(1).max(200),
        /** The notice's own sentence for this festival, verbatim. */
        text: z.string().max(1000).optional(),
        daysOff: z.strictObject({ from: plainDate, to: plainDate }),
        makeUpWorkdays: z.array(z.strictObject({ date: plainDate, weekday: z.enum(WEEKDAY_NAMES) })).max(10),
      }),
    )
    .min(1)
    .max(20),
});

export type OfficialNotice = z.infer<typeof OfficialNoticeSchema>;

/** How one day of the notice's year is classified once the notice is applied. */
export type DayClass = 'working' | 'weekend' | 'holiday' | 'make-up workday';

export interface CheckedNotice {
  notice: OfficialNotice;
  calendarYear: CalendarYear;
  /** Every day of the notice's year, in order, with its class: what an operator reviews before import. */
  days: { date: PlainDate; class: DayClass; name?: string }[];
}

function inScope(date: PlainDate, year: number): boolean {
  // A New Year span announced in the following year's notice may start in late December (2018-12-29
  // was worked under the 2019 notice).
  return yearOf(date) === year || (yearOf(date) === year - 1 && date.slice(5) >= '12-20');
}

/** Parses and checks a notice; throws InvalidCalendarData listing every problem found. */
export function checkNotice(input: unknown, calendarId: CalendarId = 'cn-state-council'): CheckedNotice {
  const parsed = OfficialNoticeSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`,
    );
    throw new InvalidCalendarData(calendarId, problems.join('; '), problems);
  }
  const notice = parsed.data;
  const problems: string[] = [];
  if (notice.calendarId !== calendarId) problems.push(`the notice is for '${notice.calendarId}'`);
  const holidays: CalendarDay[] = [];
  const makeUpWorkdays: CalendarDay[] = [];
  const listed = new Set<PlainDate>();
  const list = (date: PlainDate, what: string) => {
    if (!inScope(date, notice.year)) problems.push(`${date} (${what}) lies outside ${notice.year}`);
    if (listed.has(date)) problems.push(`${date} is listed more than once`);
    listed.add(date);
  };
  for (const arrangement of notice.arrangements) {
    const from = arrangement.daysOff.from as PlainDate;
    const to = arrangement.daysOff.to as PlainDate;
    if (compareDates(from, to) > 0) {
      problems.push(`${arrangement.festival}: days off from ${from} to ${to} run backwards`);
      continue;
    }
    if (compareDates(addDays(from, 15), to) < 0) {
      problems.push(`${arrangement.festival}: more than 16 days off in one span (${from} to ${to})`);
      continue;
    }
    for (let date = from; compareDates(date, to) <= 0; date = addDays(date, 1)) {
      list(date, arrangement.festival);
      holidays.push({ date, name: arrangement.festival });
    }
    for (const { date: text, weekday } of arrangement.makeUpWorkdays) {
      const date = text as PlainDate;
      list(date, `make-up workday for ${arrangement.festival}`);
      const actual = WEEKDAY_NAMES[dayOfWeek(date)];
      if (actual !== weekday) problems.push(`${date} is a ${actual}, the notice says ${weekday}`);
      if (actual !== 'Saturday' && actual !== 'Sunday')
        problems.push(`make-up workday ${date} is not a weekend day`);
      makeUpWorkdays.push({ date, name: `调休上班 make-up workday for ${arrangement.festival}` });
    }
  }
  if (problems.length > 0) {
    throw new InvalidCalendarData(calendarId, `${notice.year} notice: ${problems.join('; ')}`, problems);
  }

  const off = new Map(holidays.map((day) => [day.date, day.name]));
  const worked = new Map(makeUpWorkdays.map((day) => [day.date, day.name]));
  const days: CheckedNotice['days'] = [];
  const last = `${notice.year}-12-31` as PlainDate;
  for (
    let date = `${notice.year}-01-01` as PlainDate;
    compareDates(date, last) <= 0;
    date = addDays(date, 1)
  ) {
    const weekday = dayOfWeek(date);
    const holiday = off.get(date);
    const makeUp = worked.get(date);
    if (holiday !== undefined) days.push({ date, class: 'holiday', name: holiday });
    else if (makeUp !== undefined) days.push({ date, class: 'make-up workday', name: makeUp });
    else if (weekday === 0 || weekday === 6) days.push({ date, class: 'weekend', name: WEEKEND_REST_DAY });
    else days.push({ date, class: 'working' });
  }
  return {
    notice,
    calendarYear: { year: notice.year, source: notice.source, holidays, makeUpWorkdays },
    days,
  };
}
