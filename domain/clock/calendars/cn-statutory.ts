/**
 * Mainland China's statutory baseline: the rest days that the 全国年节及纪念日放假办法 (National Holidays
 * Regulations) fixes for every year, before the State Council's annual notice adds bridge days and
 * weekend make-up workdays (调休上班). A year without a notice is counted on this baseline, and every
 * date computed on it is provisional.
 *
 * Safe by construction: a period counted here must end no later than the one the notice will give.
 * A notice can only (a) add days off, which makes the official date later, and (b) turn weekend days
 * into make-up workdays, which makes it earlier. So the baseline keeps the statutory holidays as rest
 * days (every notice gives them off) and treats as a working day every weekend day that a notice could
 * turn into a make-up workday: any weekend day within MAKE_UP_WINDOW_DAYS of a statutory holiday. Its
 * working days are then a superset of the official ones, and the n-th working day after any start
 * comes no later. test/unit/clock/statutory-backtest.test.ts checks this against every notice since
 * 2015; docs/legal-clock.md reports how early it runs.
 *
 * Lunar festivals and the Qingming solar term come from generated/cn-lunar-dates.json, written by
 * tyme4ts (scripts/generate-lunar-dates.ts), never typed by hand.
 */

import { addDays, dayOfWeek, daysBetween, type PlainDate, parsePlainDate, yearOf } from '../plain-date';
import lunarDates from './generated/cn-lunar-dates.json' with { type: 'json' };
import { type CalendarSource, type ProvisionalBaseline, WEEKEND_REST_DAY } from './types';

/**
 * How far from a statutory holiday a notice has put a make-up workday. The widest gap in the notices
 * of 2015-2026 is 10 days (2024-05-11 for Labour Day); the margin covers a notice that goes further.
 */
export const MAKE_UP_WINDOW_DAYS = 14;

type LunarDates = [
  eve: string,
  springFestival: string,
  qingming: string,
  dragonBoat: string,
  midAutumn: string,
];

interface StatutoryRules {
  /** First year the rules apply to (they came into force on 1 January of it). */
  fromYear: number;
  source: CalendarSource;
  /** Spring Festival days as offsets from 正月初一: -1 is 除夕. */
  springFestival: number[];
  /** Labour Day: 1 May, or 1-2 May. */
  labourDayDays: number;
}

const AUTHORITY = '国务院 State Council of the PRC';
const TITLE = '全国年节及纪念日放假办法 National Holidays Regulations, art. 2';

/** In force order; the last whose fromYear <= year applies. */
const RULES: readonly StatutoryRules[] = [
  {
    fromYear: 2008,
    source: {
      authority: AUTHORITY,
      title: `${TITLE} (2007 revision)`,
      url: 'https://www.gov.cn/zwgk/2007-12/16/content_835527.htm',
      published: '2008-01-01',
      documentNumber: '国务院令第513号',
    },
    springFestival: [-1, 0, 1],
    labourDayDays: 1,
  },
  {
    fromYear: 2014,
    source: {
      authority: AUTHORITY,
      title: `${TITLE} (2013 revision)`,
      url: 'https://www.gov.cn/zwgk/2013-12/11/content_2546204.htm',
      published: '2014-01-01',
      documentNumber: '国务院令第644号',
    },
    springFestival: [0, 1, 2],
    labourDayDays: 1,
  },
  {
    fromYear: 2025,
    source: {
      authority: AUTHORITY,
      title: `${TITLE} (2024 revision)`,
      url: 'https://www.gov.cn/zhengce/content/202411/content_6986380.htm',
      published: '2025-01-01',
      documentNumber: '国务院令第795号',
    },
    springFestival: [-1, 0, 1, 2],
    labourDayDays: 2,
  },
];

function rulesFor(year: number): StatutoryRules {
  let applicable = RULES[0]!;
  for (const rules of RULES) if (rules.fromYear <= year) applicable = rules;
  return applicable;
}

function lunarDatesOf(year: number): LunarDates | undefined {
  return (lunarDates.years as Record<string, string[] | undefined>)[String(year)] as LunarDates | undefined;
}

export interface StatutoryHoliday {
  date: PlainDate;
  name: string;
}

function span(first: PlainDate, days: number, name: string): StatutoryHoliday[] {
  return Array.from({ length: days }, (_, offset) => ({ date: addDays(first, offset), name }));
}

/**
 * The statutory holidays of `year` (art. 2: 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节), grouped
 * in blocks of consecutive days; undefined for a year outside the lunar table (1950-2100).
 */
export function statutoryHolidayBlocks(year: number): StatutoryHoliday[][] | undefined {
  const lunar = lunarDatesOf(year);
  if (lunar === undefined) return undefined;
  const [, springFestival, qingming, dragonBoat, midAutumn] = lunar.map(parsePlainDate) as [
    PlainDate,
    PlainDate,
    PlainDate,
    PlainDate,
    PlainDate,
  ];
  const rules = rulesFor(year);
  const y = String(year).padStart(4, '0');
  const firstSpringDay = addDays(springFestival, Math.min(...rules.springFestival));
  const blocks = [
    span(parsePlainDate(`${y}-01-01`), 1, "元旦 New Year's Day"),
    span(firstSpringDay, rules.springFestival.length, '春节 Spring Festival'),
    span(qingming, 1, '清明节 Qingming Festival'),
    span(parsePlainDate(`${y}-05-01`), rules.labourDayDays, '劳动节 Labour Day'),
    span(dragonBoat, 1, '端午节 Dragon Boat Festival'),
    span(midAutumn, 1, '中秋节 Mid-Autumn Festival'),
    span(parsePlainDate(`${y}-10-01`), 3, '国庆节 National Day'),
  ];
  return blocks;
}

/** The rules in force in `year`, as the source every provisional date of that year cites. */
export function statutorySource(year: number): CalendarSource {
  return rulesFor(year).source;
}

function isWeekend(date: PlainDate): boolean {
  const weekday = dayOfWeek(date);
  return weekday === 0 || weekday === 6;
}

/** Statutory holidays of the date's own year and its neighbours, by date. Memoised per year. */
const holidaysAround = new Map<number, Map<PlainDate, string> | undefined>();
function statutoryDaysNear(year: number): Map<PlainDate, string> | undefined {
  if (holidaysAround.has(year)) return holidaysAround.get(year);
  let days: Map<PlainDate, string> | undefined = new Map();
  for (const neighbour of [year - 1, year, year + 1]) {
    const blocks = statutoryHolidayBlocks(neighbour);
    if (blocks === undefined) {
      days = undefined;
      break;
    }
    for (const { date, name } of blocks.flat()) days.set(date, name);
  }
  holidaysAround.set(year, days);
  return days;
}

/** A weekend day that a notice could make a workday: within the window of a statutory holiday. */
export function couldBeMakeUpWorkday(date: PlainDate): boolean {
  if (!isWeekend(date)) return false;
  const days = statutoryDaysNear(yearOf(date));
  if (days === undefined) return true;
  if (days.has(date)) return false;
  for (const holiday of days.keys()) {
    if (Math.abs(daysBetween(date, holiday)) <= MAKE_UP_WINDOW_DAYS) return true;
  }
  return false;
}

/**
 * The baseline of the cn-state-council calendar. Outside the lunar table every day is a working day:
 * the only answer that can never be later than the official one.
 */
export const CN_STATUTORY_BASELINE: ProvisionalBaseline = {
  source: statutorySource,
  restDayName(date) {
    const days = statutoryDaysNear(yearOf(date));
    if (days === undefined) return undefined;
    const holiday = days.get(date);
    if (holiday !== undefined) return `${holiday} (statutory)`;
    if (isWeekend(date) && !couldBeMakeUpWorkday(date)) return WEEKEND_REST_DAY;
    return undefined;
  },
};
