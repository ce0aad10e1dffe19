/**
 * Writes domain/clock/calendars/generated/cn-lunar-dates.json: for each year, the Gregorian dates of
 * the lunar festivals and the Qingming solar term that China's statutory holidays fall on, computed by
 * tyme4ts (6tail's successor to lunar-javascript, astronomical solar terms, no hand-typed tables).
 *
 * Why a generated file rather than the library at run time: the library is 200 KB minified and every
 * Lambda that computes a deadline would carry it; the table is a few kilobytes, reviewed in diffs, and
 * test/unit/clock/cn-statutory.test.ts recomputes it with the library so the two can never drift.
 *
 * Run with `npm run calendars`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { LunarDay, type SolarDay, SolarTerm } from 'tyme4ts';

export const LUNAR_FIRST_YEAR = 1950;
export const LUNAR_LAST_YEAR = 2100;

export interface LunarDatesFile {
  generatedBy: string;
  firstYear: number;
  lastYear: number;
  /** Year → [除夕 Spring Festival eve, 正月初一 Spring Festival, 清明 Qingming, 端午 Dragon Boat, 中秋 Mid-Autumn]. */
  years: Record<string, [string, string, string, string, string]>;
}

function iso(day: SolarDay): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${day.getYear()}-${pad(day.getMonth())}-${pad(day.getDay())}`;
}

function tymeVersion(): string {
  // tyme4ts does not export its package.json; find it beside the resolved entry point.
  const entry = createRequire(import.meta.url).resolve('tyme4ts');
  const packageJson = new URL('../../package.json', pathToFileURL(entry));
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  return `tyme4ts@${version}`;
}

export function generateLunarDates(): LunarDatesFile {
  const years: LunarDatesFile['years'] = {};
  for (let year = LUNAR_FIRST_YEAR; year <= LUNAR_LAST_YEAR; year++) {
    const newYear = LunarDay.fromYmd(year, 1, 1);
    years[String(year)] = [
      iso(newYear.next(-1).getSolarDay()),
      iso(newYear.getSolarDay()),
      iso(SolarTerm.fromName(year, '清明').getJulianDay().getSolarDay()),
      iso(LunarDay.fromYmd(year, 5, 5).getSolarDay()),
      iso(LunarDay.fromYmd(year, 8, 15).getSolarDay()),
    ];
  }
  return { generatedBy: tymeVersion(), firstYear: LUNAR_FIRST_YEAR, lastYear: LUNAR_LAST_YEAR, years };
}

export const LUNAR_DATES_FILE = new URL(
  '../domain/clock/calendars/generated/cn-lunar-dates.json',
  import.meta.url,
);

export function serialiseLunarDates(file: LunarDatesFile): string {
  // One line per year keeps the file short and its diffs readable.
  const lines = Object.entries(file.years).map(([year, dates]) => `    "${year}": ${JSON.stringify(dates)}`);
  return `{\n  "generatedBy": ${JSON.stringify(file.generatedBy)},\n  "firstYear": ${file.firstYear},\n  "lastYear": ${file.lastYear},\n  "years": {\n${lines.join(',\n')}\n  }\n}\n`;
}
