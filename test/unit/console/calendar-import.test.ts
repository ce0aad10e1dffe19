import { describe, expect, it } from 'vitest';
import { checkNotice, type OfficialNotice, PACKAGED_NOTICES } from '../../../domain/clock';
import {
  calendarsOverview,
  type ImportRecord,
  NoticeAlreadyPresent,
  NoticeYearMismatch,
  noticeSha256,
  noticeSummary,
  planImport,
} from '../../../domain/console/calendar-import';

/** A notice for `year` with one New Year span (1-3 January) and, optionally, make-up workdays. */
function noticeFor(year: number, makeUpWorkdays: { date: string; weekday: string }[] = []): OfficialNotice {
  // As read from a file: plain strings, which the check would brand as dates.
  const notice = {
    calendarId: 'cn-state-council',
    year,
    source: {
      authority: '国务院办公厅 General Office of the State Council of the PRC',
      title: `国务院办公厅关于${year}年部分节假日安排的通知`,
      url: 'https://www.gov.cn/zhengce/content/example.htm',
      published: `${year - 1}-11-04`,
      documentNumber: `国办发明电〔${year - 1}〕7号`,
    },
    arrangements: [
      {
        festival: "元旦 New Year's Day",
        daysOff: { from: `${year}-01-01`, to: `${year}-01-03` },
        makeUpWorkdays,
      },
    ],
  };
  return notice as unknown as OfficialNotice;
}

const record = (notice: OfficialNotice, importedBy = 'sam'): ImportRecord => ({
  year: notice.year,
  notice,
  importedAt: '2026-11-20T02:00:00.000Z',
  importedBy,
  sha256: noticeSha256(notice),
});

// 2099-01-03 is a Saturday, 2099-01-04 a Sunday.
const NOTICE_2099 = noticeFor(2099, [{ date: '2099-01-04', weekday: 'Sunday' }]);

describe('noticeSummary', () => {
  it('counts the days off, make-up workdays, weekend and working days of the notice year', () => {
    const summary = noticeSummary(checkNotice(NOTICE_2099));
    expect(summary).toMatchObject({ year: 2099, holidays: 3, makeUpWorkdays: 1 });
    expect(summary.holidays + summary.makeUpWorkdays + summary.weekendDays + summary.workingDays).toBe(365);
    expect(summary.festivals).toEqual([
      {
        festival: "元旦 New Year's Day",
        daysOff: { from: '2099-01-01', to: '2099-01-03' },
        days: 3,
        makeUpWorkdays: ['2099-01-04'],
      },
    ]);
  });
});

describe('noticeSha256', () => {
  it('gives the same digest whatever order the keys were written in', () => {
    const reordered = JSON.parse(JSON.stringify({ ...NOTICE_2099, year: 2099 }).replace('"year":2099,', ''));
    expect(noticeSha256({ year: 2099, ...reordered })).toBe(noticeSha256(NOTICE_2099));
    expect(noticeSha256(noticeFor(2098))).not.toBe(noticeSha256(NOTICE_2099));
  });
});

describe('planImport', () => {
  const plan = (overrides: Partial<Parameters<typeof planImport>[0]> = {}) =>
    planImport({
      calendarId: 'cn-state-council',
      pathYear: 2099,
      checked: checkNotice(NOTICE_2099),
      replace: false,
      existing: undefined,
      ...overrides,
    });

  it('imports a year that has no official data', () => {
    expect(plan()).toEqual({ replaces: null });
  });

  it('refuses a notice whose year is not the year in the path, naming the field', () => {
    expect(() => plan({ pathYear: 2098 })).toThrow(NoticeYearMismatch);
    expect(() => plan({ pathYear: 2098 })).toThrow(/path names 2098 but the notice is for 2099/);
  });

  it('refuses to replace an imported year unless asked, and says so', () => {
    const existing = record(NOTICE_2099);
    expect(() => plan({ existing })).toThrow(NoticeAlreadyPresent);
    expect(() => plan({ existing })).toThrow(/imported notice; import with replace=true/);
    expect(plan({ existing, replace: true })).toEqual({ replaces: 'imported' });
  });

  it('refuses to replace a packaged year unless asked', () => {
    const packaged = PACKAGED_NOTICES[0]!;
    const input = { pathYear: packaged.notice.year, checked: packaged };
    expect(() => plan(input)).toThrow(/packaged notice/);
    expect(plan({ ...input, replace: true })).toEqual({ replaces: 'packaged' });
  });
});

describe('calendarsOverview', () => {
  const cn = (overview: ReturnType<typeof calendarsOverview>) =>
    overview.calendars.find((calendar) => calendar.calendarId === 'cn-state-council')!;

  it('lists the packaged years with their source and digest', () => {
    const years = cn(calendarsOverview([], new Date('2026-06-01T00:00:00Z'))).years;
    expect(years.map((year) => year.year)).toEqual(PACKAGED_NOTICES.map((checked) => checked.notice.year));
    expect(years[0]).toMatchObject({
      origin: 'packaged',
      sha256: noticeSha256(PACKAGED_NOTICES[0]!.notice),
      source: { documentNumber: PACKAGED_NOTICES[0]!.notice.source.documentNumber },
    });
  });

  it('names who imported a year, when, and that it replaces the packaged notice', () => {
    const packaged2026 = PACKAGED_NOTICES.find((checked) => checked.notice.year === 2026)!.notice;
    const overview = calendarsOverview([record(NOTICE_2099), record(packaged2026, 'lin')], new Date());
    const years = cn(overview).years;
    expect(years.find((year) => year.year === 2099)).toMatchObject({
      origin: 'imported',
      importedBy: 'sam',
      holidays: 3,
      makeUpWorkdays: 1,
      sha256: noticeSha256(NOTICE_2099),
    });
    expect(years.find((year) => year.year === 2099)).not.toHaveProperty('replacesPackaged');
    expect(years.find((year) => year.year === 2026)).toMatchObject({
      origin: 'imported',
      importedBy: 'lin',
      replacesPackaged: true,
    });
  });

  it.each([
    ['31 October, Beijing time', '2026-10-31T15:59:59Z', false],
    ['1 November, Beijing time (still 31 October in UTC)', '2026-10-31T16:00:00Z', true],
    ['31 December', '2026-12-31T12:00:00Z', true],
  ])("flags next year's missing notice from 1 November only: %s", (_when, instant, missing) => {
    const overview = calendarsOverview([], new Date(instant));
    expect(cn(overview)).toMatchObject({ nextYear: 2027, nextYearOfficial: false, nextYearMissing: missing });
  });

  it("stops flagging once next year's notice is imported", () => {
    const overview = calendarsOverview([record(noticeFor(2027))], new Date('2026-11-20T00:00:00Z'));
    expect(cn(overview)).toMatchObject({ nextYearOfficial: true, nextYearMissing: false });
  });

  it('shows a stored notice that no longer passes the check with its problems, and does not use it', () => {
    const broken = {
      ...record(NOTICE_2099),
      notice: noticeFor(2099, [{ date: '2099-01-05', weekday: 'Monday' }]),
    };
    const calendar = cn(calendarsOverview([broken], new Date('2026-06-01T00:00:00Z')));
    const year = calendar.years.find((candidate) => candidate.year === 2099)!;
    expect(year.problems).toEqual(['make-up workday 2099-01-05 is not a weekend day']);
  });

  it('lists the generated calendars without offering imports', () => {
    const overview = calendarsOverview([], new Date('2026-11-20T00:00:00Z'));
    for (const calendar of overview.calendars.filter(
      (candidate) => candidate.calendarId !== 'cn-state-council',
    )) {
      expect(calendar.importable).toBe(false);
      expect(calendar.years.length).toBeGreaterThan(0);
    }
    expect(overview).toMatchObject({ today: '2026-11-20', timeZone: 'Asia/Shanghai' });
  });
});
