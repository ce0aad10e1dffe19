import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  CALENDAR_IDS,
  type CalendarId,
  compareDates,
  dayOfWeek,
  getCalendar,
  InvalidCalendarData,
  isCalendarId,
  PACKAGED_NOTICES,
  parsePlainDate,
  UnknownCalendar,
  WEEKEND_REST_DAY,
} from '../../../domain/clock';
import { SPECIAL_NOTICES } from '../../../domain/clock/calendars/cn-state-council';
import { buildWorkingCalendar, weekendsOnlyBaseline } from '../../../domain/clock/calendars/working-calendar';
import { generateCalendars, outputFile, serialise } from '../../../scripts/generate-calendars';

const d = parsePlainDate;
const cn = getCalendar('cn-state-council');
const england = getCalendar('england-and-wales');
const us = getCalendar('us-federal');

function everyDay(from: string, to: string): string[] {
  const days: string[] = [];
  for (let date = d(from); compareDates(date, d(to)) <= 0; date = addDays(date, 1)) days.push(date);
  return days;
}

describe('cn-state-council: the State Council holiday notices', () => {
  const STATE_COUNCIL_NOTICES = PACKAGED_NOTICES.map((checked) => checked.notice);
  const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const notices = STATE_COUNCIL_NOTICES.map((notice) => [notice.year, notice] as const);
  // Days a later special notice changed (special.json) are checked against the amended arrangement below.
  const amended = new Set(
    SPECIAL_NOTICES.flatMap(({ calendarYear }) =>
      [...calendarYear.holidays, ...calendarYear.makeUpWorkdays].map((day) => day.date as string),
    ),
  );
  const makeUpWorkdays = STATE_COUNCIL_NOTICES.flatMap((notice) =>
    notice.arrangements.flatMap((arrangement) =>
      arrangement.makeUpWorkdays
        .filter((day) => !amended.has(day.date))
        .map((day) => [day.date, arrangement.festival, WEEKDAYS.indexOf(day.weekday)] as const),
    ),
  );
  const daysOff = STATE_COUNCIL_NOTICES.flatMap((notice) =>
    notice.arrangements.flatMap((arrangement) =>
      everyDay(arrangement.daysOff.from, arrangement.daysOff.to).map(
        (date) => [date, arrangement.festival] as const,
      ),
    ),
  );

  it('has official data for every year from 2024 to 2026', () => {
    expect(cn.years.map((year) => year.year)).toEqual(expect.arrayContaining([2024, 2025, 2026]));
    for (const year of [2024, 2025, 2026]) expect(cn.isOfficial(year)).toBe(true);
  });

  it.each(notices)(
    'cites the %i notice by its gov.cn URL, document number and issue date',
    (year, notice) => {
      expect(notice.source.url).toMatch(/^https:\/\/www\.gov\.cn\//);
      expect(notice.source.title).toBe(`国务院办公厅关于${year}年部分节假日安排的通知`);
      expect(notice.source.documentNumber).toMatch(/^国办发明电〔\d{4}〕\d+号$/);
      expect(compareDates(d(notice.source.published), d(`${year}-01-01`))).toBeLessThan(0);
    },
  );

  it.each(makeUpWorkdays)('makes %s a working day (调休上班 for %s)', (date, _festival, noticeWeekday) => {
    expect(cn.isWorkingDay(d(date as string))).toBe(true);
    expect(cn.restDayName(d(date as string))).toBeUndefined();
    // The notice prints the weekday; our arithmetic must agree, and only weekends are ever made up.
    expect(dayOfWeek(d(date as string))).toBe(noticeWeekday);
    expect([0, 6]).toContain(noticeWeekday);
  });

  it.each(daysOff)('makes %s a rest day (%s)', (date, festival) => {
    expect(cn.isWorkingDay(d(date))).toBe(false);
    expect(cn.restDayName(d(date))).toBe(festival);
  });

  it.each([
    ['2024-01-01', 1], // 元旦 2024
    ['2024-02-10', 8], // 春节 2024
    ['2025-01-28', 8], // 春节 2025
    ['2025-10-01', 8], // 国庆节、中秋节 2025, merged
    ['2026-02-15', 9], // 春节 2026
    ['2026-10-01', 7], // 国庆节 2026
  ])('gives the span starting %s the %i days off that the notice announces', (from, length) => {
    const span = STATE_COUNCIL_NOTICES.flatMap((notice) => notice.arrangements).find(
      (arrangement) => arrangement.daysOff.from === from,
    );
    expect(span).toBeDefined();
    expect(everyDay(span!.daysOff.from, span!.daysOff.to)).toHaveLength(length);
  });

  it.each([
    ['2025-09-26', true, undefined], // an ordinary Friday
    ['2025-09-27', false, WEEKEND_REST_DAY], // an ordinary Saturday
    ['2025-10-12', false, WEEKEND_REST_DAY], // the Sunday after the make-up Saturday
    ['2024-06-08', false, WEEKEND_REST_DAY], // 端午 2024: "6月10日放假，与周末连休" names only 6/10
    ['2024-02-09', true, undefined], // 除夕 2024 is only "encouraged" off, not a holiday
  ] as const)('treats %s as working=%s (%s)', (date, working, restDayName) => {
    expect(cn.isWorkingDay(d(date))).toBe(working);
    expect(cn.restDayName(d(date))).toBe(restDayName);
  });

  it.each([
    ['2015-09-04', false], // 抗战胜利70周年纪念日, 国发明电〔2015〕1号
    ['2015-09-06', true],
    ['2019-05-03', false], // Labour Day lengthened by 国办发明电〔2019〕3号
    ['2019-05-05', true],
    ['2020-02-01', false], // the annual notice's make-up Saturday, cancelled by the 2020 extension
    ['2020-01-31', false],
  ] as const)('applies the special notices over the annual ones: %s working=%s', (date, working) => {
    expect(cn.isWorkingDay(d(date))).toBe(working);
  });

  it('cites the special notices that amended 2015, 2019 and 2020', () => {
    const amendedYears = cn.years.filter((year) => year.amendedBy !== undefined).map((year) => year.year);
    expect(amendedYears).toEqual([2015, 2019, 2020]);
  });

  it.each([
    ['2027-01-01', false, "元旦 New Year's Day (statutory)"],
    ['2027-10-04', true, undefined],
    ['2027-02-05', false, '春节 Spring Festival (statutory)'], // 除夕: a holiday since the 2024 revision
  ] as const)(
    'counts %s, in a year with no State Council notice, on the statutory baseline (working=%s)',
    (date, working, restDayName) => {
      expect(cn.dayStatus(d(date))).toEqual({ working, restDayName, provisionalYear: 2027 });
    },
  );

  it("flags a late-December weekend that next year's notice may turn into a make-up workday", () => {
    // Saturday 26 December 2026: within the window of 1 January 2027, whose notice is not out yet.
    expect(cn.dayStatus(d('2026-12-26'))).toEqual({
      working: true,
      restDayName: undefined,
      provisionalYear: 2027,
    });
    // Saturday 5 December 2026: too far from any holiday, an official weekend.
    expect(cn.dayStatus(d('2026-12-05'))).toEqual({ working: false, restDayName: WEEKEND_REST_DAY });
  });
});

describe('england-and-wales: bank holidays, substitute days when one falls on a weekend', () => {
  it.each([
    ['2026-12-28', 'Boxing Day (substitute day)'], // Boxing Day 2026 is a Saturday
    ['2027-12-27', 'Christmas Day (substitute day)'], // Christmas 2027 is a Saturday
    ['2027-12-28', 'Boxing Day (substitute day)'],
    ['2028-01-03', "New Year's Day (substitute day)"],
    ['2025-04-18', 'Good Friday'],
    ['2025-04-21', 'Easter Monday'],
    ['2025-08-25', 'Summer bank holiday'],
  ])('rests on %s (%s)', (date, name) => {
    expect(england.isWorkingDay(d(date))).toBe(false);
    expect(england.restDayName(d(date))).toBe(name);
  });

  it.each(['2025-12-24', '2025-12-29', '2026-12-29', '2025-04-17'])('works on %s', (date) => {
    expect(england.isWorkingDay(d(date))).toBe(true);
  });

  it('has eight bank holidays on weekdays in every year from 2024 to 2040', () => {
    expect(england.years.map((year) => year.year)).toEqual(Array.from({ length: 17 }, (_, i) => 2024 + i));
    for (const year of england.years) {
      expect(year.holidays, String(year.year)).toHaveLength(8);
      for (const { date } of year.holidays) expect([0, 6]).not.toContain(dayOfWeek(date));
    }
  });

  it('cites GOV.UK and the generator version for every year', () => {
    for (const { source } of england.years) {
      expect(source.url).toBe('https://www.gov.uk/bank-holidays');
      expect(source.generatedBy).toMatch(/^date-holidays@\d+\.\d+\.\d+$/);
    }
  });

  it('counts dates after 2040 on weekends alone, flagged provisional', () => {
    expect(england.dayStatus(d('2041-01-01'))).toEqual({
      working: true,
      restDayName: undefined,
      provisionalYear: 2041,
    });
  });
});

describe('us-federal: 5 U.S.C. 6103, Saturday holidays observed Friday, Sunday holidays observed Monday', () => {
  it.each([
    ['2027-07-05', 'Independence Day (observed)'], // 4 July 2027 is a Sunday
    ['2026-07-03', 'Independence Day (observed)'], // 4 July 2026 is a Saturday
    ['2027-06-18', 'Juneteenth (observed)'],
    ['2027-12-24', 'Christmas Day (observed)'],
    ['2027-12-31', "New Year's Day (observed)"], // 1 January 2028 is a Saturday: observed in 2027
    ['2028-11-10', 'Veterans Day (observed)'], // date-holidays leaves this on the Saturday; the law does not
    ['2029-11-12', 'Veterans Day (observed)'],
    ['2025-11-27', 'Thanksgiving Day'],
    ['2026-01-19', 'Martin Luther King Jr. Day'],
  ])('rests on %s (%s)', (date, name) => {
    expect(us.isWorkingDay(d(date))).toBe(false);
    expect(us.restDayName(d(date))).toBe(name);
  });

  it.each(['2027-07-06', '2025-11-28', '2028-01-03'])('works on %s', (date) => {
    expect(us.isWorkingDay(d(date))).toBe(true);
  });

  it('observes each of the eleven legal public holidays on a weekday, every year from 2024 to 2040', () => {
    // New Year's Day on a Saturday is observed on 31 December before: 2027, 2032 and 2038 have twelve
    // days off, the years after them ten.
    const expected: Record<number, number> = { 2027: 12, 2028: 10, 2032: 12, 2033: 10, 2038: 12, 2039: 10 };
    for (const year of us.years) {
      expect(year.holidays, String(year.year)).toHaveLength(expected[year.year] ?? 11);
      for (const { date } of year.holidays) expect([0, 6]).not.toContain(dayOfWeek(date));
    }
  });

  it('cites OPM and the generator version for every year', () => {
    for (const { source } of us.years) {
      expect(source.url).toMatch(/^https:\/\/www\.opm\.gov\//);
      expect(source.generatedBy).toMatch(/^date-holidays@/);
    }
  });

  it('counts years beyond the generated data on weekends alone, flagged provisional', () => {
    expect(us.dayStatus(d('2023-12-25'))).toEqual({
      working: true,
      restDayName: undefined,
      provisionalYear: 2023,
    });
    expect(us.dayStatus(d('2041-01-05'))).toEqual({
      working: false,
      restDayName: WEEKEND_REST_DAY,
      provisionalYear: 2041,
    });
  });
});

describe('generated calendars', () => {
  it.each(generateCalendars().map((calendar) => [calendar.calendarId, calendar] as const))(
    'commits %s.json exactly as `npm run calendars` writes it (no hand edits, no stale data)',
    (_id, calendar) => {
      expect(readFileSync(outputFile(calendar), 'utf8')).toBe(serialise(calendar));
    },
  );
});

describe('getCalendar', () => {
  it.each(CALENDAR_IDS.map((id) => [id]))('returns the %s calendar', (id) => {
    expect(getCalendar(id).id).toBe(id);
    expect(isCalendarId(id)).toBe(true);
  });

  it('throws UnknownCalendar for an id no calendar provides', () => {
    expect(() => getCalendar('fr-public' as CalendarId)).toThrow(UnknownCalendar);
    expect(isCalendarId('fr-public')).toBe(false);
  });
});

describe('calendar data checks', () => {
  const source = { authority: 'test', title: 'test', url: 'https://example.org', published: '2024-01-01' };
  const baseline = weekendsOnlyBaseline(source);

  it('rejects a date filed under another year, which lookups would never find', () => {
    const build = () =>
      buildWorkingCalendar({
        id: 'cn-state-council',
        name: 'test',
        baseline,
        annualNotice: true,
        years: [{ year: 2024, source, holidays: [{ date: d('2025-01-01'), name: 'x' }], makeUpWorkdays: [] }],
      });
    expect(build).toThrow(InvalidCalendarData);
  });

  it('rejects a make-up workday that is not a weekend day', () => {
    const build = () =>
      buildWorkingCalendar({
        id: 'cn-state-council',
        name: 'test',
        baseline,
        annualNotice: true,
        years: [{ year: 2024, source, holidays: [], makeUpWorkdays: [{ date: d('2024-01-03'), name: 'x' }] }],
      });
    expect(build).toThrow(/not a weekend day/);
  });

  it('rejects a day listed both as a holiday and as a make-up workday', () => {
    const build = () =>
      buildWorkingCalendar({
        id: 'cn-state-council',
        name: 'test',
        baseline,
        annualNotice: true,
        years: [
          {
            year: 2024,
            source,
            holidays: [{ date: d('2024-01-06'), name: 'x' }],
            makeUpWorkdays: [{ date: d('2024-01-06'), name: 'y' }],
          },
        ],
      });
    expect(build).toThrow(/more than once/);
  });
});
