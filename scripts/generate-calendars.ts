/**
 * Writes the England-and-Wales and US-federal working calendars to committed JSON files
 * (domain/clock/calendars/generated/), computed from the `date-holidays` package.
 *
 * Why generate instead of computing at run time: the legal clock must give the same answer for the
 * same input forever, so the dates are frozen in the repository and reviewed in diffs; a package upgrade
 * changes them only when someone re-runs `npm run calendars` and commits the result.
 *
 * date-holidays is used only where it matches the official lists; China's calendar is transcribed from
 * the State Council notices instead, because date-holidays has no make-up workdays (调休上班).
 *
 * Run with `npm run calendars`. The output does not depend on the machine's time zone: date-holidays
 * reports each holiday's date in the country's own zone, and all weekday arithmetic here is UTC-only.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import Holidays from 'date-holidays';
import type { CalendarDay, CalendarId, CalendarSource } from '../domain/clock/calendars/types';
import { addDays, dayOfWeek, type PlainDate, parsePlainDate, yearOf } from '../domain/clock/plain-date';
import { generateLunarDates, LUNAR_DATES_FILE, serialiseLunarDates } from './generate-lunar-dates';

const FIRST_YEAR = 2024;
const LAST_YEAR = 2040;
const OUTPUT_DIRECTORY = new URL('../domain/clock/calendars/generated/', import.meta.url);

export interface GeneratedCalendar {
  calendarId: CalendarId;
  years: { year: number; source: CalendarSource; holidays: CalendarDay[]; makeUpWorkdays: CalendarDay[] }[];
}

class GeneratorDisagreesWithLaw extends Error {
  override name = 'GeneratorDisagreesWithLaw' as const;
}

function dateHolidaysRelease(): { generatedBy: string; released: string } {
  const require = createRequire(import.meta.url);
  const packageJsonPath = require.resolve('date-holidays/package.json');
  const { version } = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version: string };
  // The changelog heading of a release reads "## [3.37.0](https://...compare/...) (2026-09-20)".
  const changelog = readFileSync(new URL('CHANGELOG.md', `file://${packageJsonPath}`), 'utf8');
  const heading = new RegExp(
    `^## \\[${version.replaceAll('.', '\\.')}\\]\\([^)]*\\) \\((\\d{4}-\\d{2}-\\d{2})\\)`,
    'm',
  );
  const released = heading.exec(changelog)?.[1];
  if (!released) throw new Error(`No release date for date-holidays ${version} in its CHANGELOG.md`);
  return { generatedBy: `date-holidays@${version}`, released };
}

const RELEASE = dateHolidaysRelease();

function isWeekend(date: PlainDate): boolean {
  const weekday = dayOfWeek(date);
  return weekday === 0 || weekday === 6;
}

/** Public holidays of one year as date-holidays reports them, dates in the country's own time zone. */
function publicHolidays(
  holidays: Holidays,
  year: number,
): { date: PlainDate; name: string; substitute: boolean }[] {
  return holidays
    .getHolidays(year)
    .filter((holiday) => holiday.type === 'public' || holiday.type === 'bank')
    .map((holiday) => ({
      date: parsePlainDate(holiday.date.slice(0, 10)),
      name: holiday.name,
      substitute: holiday.substitute === true,
    }));
}

function byDate(a: CalendarDay, b: CalendarDay): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}

/**
 * England and Wales share one list of bank holidays (Banking and Financial Dealings Act 1971, sched. 1,
 * plus royal proclamations). When one falls on a weekend, a substitute weekday is a bank holiday instead
 * and GOV.UK lists only the substitute; date-holidays marks those as substitute days, so the weekend
 * originals are dropped (a weekend is a rest day anyway).
 */
function englandAndWales(): GeneratedCalendar {
  const holidays = new Holidays('GB', 'ENG');
  const years: GeneratedCalendar['years'] = [];
  for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
    const all = publicHolidays(holidays, year);
    const weekendOriginals = all.filter((holiday) => !holiday.substitute && isWeekend(holiday.date));
    const substitutes = all.filter((holiday) => holiday.substitute);
    if (weekendOriginals.length !== substitutes.length) {
      throw new GeneratorDisagreesWithLaw(
        `England ${year}: ${weekendOriginals.length} bank holidays fall on a weekend but ${substitutes.length} substitute days are listed`,
      );
    }
    years.push({
      year,
      source: {
        authority: 'UK Government (GOV.UK)',
        title: 'UK bank holidays: England and Wales',
        url: 'https://www.gov.uk/bank-holidays',
        published: RELEASE.released,
        generatedBy: RELEASE.generatedBy,
      },
      holidays: all
        .filter((holiday) => holiday.substitute || !isWeekend(holiday.date))
        .map(({ date, name }) => ({ date, name }))
        .sort(byDate),
      makeUpWorkdays: [],
    });
  }
  return { calendarId: 'england-and-wales', years };
}

/** The eleven legal public holidays of 5 U.S.C. 6103(a), under the names date-holidays gives them. */
const US_LEGAL_PUBLIC_HOLIDAYS = [
  "New Year's Day",
  'Martin Luther King Jr. Day',
  "Washington's Birthday",
  'Memorial Day',
  'Juneteenth',
  'Independence Day',
  'Labor Day',
  'Columbus Day',
  'Veterans Day',
  'Thanksgiving Day',
  'Christmas Day',
];

/**
 * US federal holidays as observed by federal employees with a Monday-Friday week: a holiday on a
 * Saturday is observed on the Friday before (5 U.S.C. 6103(b)(1)), one on a Sunday on the Monday after
 * (Executive Order 11582, s. 3(a)). The observed day is computed here rather than taken from
 * date-holidays, whose US data does not shift Veterans Day (e.g. Saturday 2028-11-11 is observed on
 * Friday 2028-11-10). New Year's Day on a Saturday is observed on 31 December of the year before, so
 * holidays are collected one year beyond each end of the range.
 */
function usFederal(): GeneratedCalendar {
  const holidays = new Holidays('US');
  const observed: CalendarDay[] = [];
  const librarySubstitutes = new Set<PlainDate>();
  for (let year = FIRST_YEAR - 1; year <= LAST_YEAR + 1; year++) {
    const all = publicHolidays(holidays, year);
    const legal = all.filter((holiday) => !holiday.substitute);
    const names = legal.map((holiday) => holiday.name).sort();
    if (JSON.stringify(names) !== JSON.stringify([...US_LEGAL_PUBLIC_HOLIDAYS].sort())) {
      throw new GeneratorDisagreesWithLaw(
        `US ${year}: date-holidays lists ${names.join(', ')}, not the holidays of 5 U.S.C. 6103(a)`,
      );
    }
    for (const holiday of all) if (holiday.substitute) librarySubstitutes.add(holiday.date);
    for (const { date, name } of legal) {
      const weekday = dayOfWeek(date);
      if (weekday === 6) observed.push({ date: addDays(date, -1), name: `${name} (observed)` });
      else if (weekday === 0) observed.push({ date: addDays(date, 1), name: `${name} (observed)` });
      else observed.push({ date, name });
    }
  }
  // Every substitute day date-holidays knows must be one we computed too; otherwise one of us is wrong.
  const computed = new Set(observed.map((day) => day.date));
  for (const date of librarySubstitutes) {
    if (!computed.has(date))
      throw new GeneratorDisagreesWithLaw(`US: date-holidays observes ${date}, we do not`);
  }
  const years: GeneratedCalendar['years'] = [];
  for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
    years.push({
      year,
      source: {
        authority: 'U.S. Office of Personnel Management',
        title: 'Federal holidays (5 U.S.C. 6103)',
        url: 'https://www.opm.gov/policy-data-oversight/pay-leave/federal-holidays/',
        published: RELEASE.released,
        generatedBy: RELEASE.generatedBy,
      },
      holidays: observed.filter((day) => yearOf(day.date) === year).sort(byDate),
      makeUpWorkdays: [],
    });
  }
  return { calendarId: 'us-federal', years };
}

/** The calendars as they would be written, so that a test can check the committed JSON is current. */
export function generateCalendars(): GeneratedCalendar[] {
  return [englandAndWales(), usFederal()];
}

export function serialise(calendar: GeneratedCalendar): string {
  return `${JSON.stringify(calendar, null, 2)}\n`;
}

export function outputFile(calendar: GeneratedCalendar): URL {
  return new URL(`${calendar.calendarId}.json`, OUTPUT_DIRECTORY);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const calendar of generateCalendars()) {
    const file = outputFile(calendar);
    writeFileSync(file, serialise(calendar));
    console.log(`wrote ${file.pathname} (${calendar.years.length} years, ${RELEASE.generatedBy})`);
  }
  const lunar = generateLunarDates();
  writeFileSync(LUNAR_DATES_FILE, serialiseLunarDates(lunar));
  console.log(
    `wrote ${LUNAR_DATES_FILE.pathname} (${lunar.firstYear}-${lunar.lastYear}, ${lunar.generatedBy})`,
  );
}
