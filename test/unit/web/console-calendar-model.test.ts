import { describe, expect, it } from 'vitest';
import { PACKAGED_NOTICES } from '../../../domain/clock';
import { calendarsOverview, noticeSha256 } from '../../../domain/console/calendar-import';
import * as model from '../../../web/client/console-model';

/** GET /v1/console/calendars as the API answers it (JSON), on a given day. */
const overviewOn = (instant: string, imported: Parameters<typeof calendarsOverview>[0] = []) =>
  JSON.parse(JSON.stringify(calendarsOverview(imported, new Date(instant))));

describe('the console page model: provisional due dates', () => {
  it('writes a due date counted on a year without its notice as provisional, naming the year', () => {
    expect(
      model.provisionalDueText({ dueDate: '2027-01-05', provisional: true, provisionalYears: [2027] }),
    ).toEqual({
      zh: '2027-01-05（暂定：2027 年节假日安排尚未公布）',
      en: '2027-01-05 (provisional: 2027 calendar not yet published)',
    });
    expect(
      model.provisionalDueText({ dueDate: '2028-01-05', provisional: true, provisionalYears: [2027, 2028] })
        ?.en,
    ).toBe('2028-01-05 (provisional: 2027, 2028 calendars not yet published)');
  });

  it.each([
    ['an official date', { dueDate: '2026-12-24' }],
    ['a clock not started', { dueDate: null, provisional: true, provisionalYears: [2027] }],
    ['no clock', undefined],
  ])('says nothing for %s', (_case, clock) => {
    expect(model.provisionalDueText(clock as Record<string, unknown> | undefined)).toBeNull();
  });
});

describe('the console page model: the calendar panel', () => {
  it("shows supervisors a banner from 1 November while next year's notice is missing", () => {
    expect(model.calendarBanners(overviewOn('2026-11-20T00:00:00Z'), ['supervisor'])).toEqual([
      {
        calendarId: 'cn-state-council',
        year: 2027,
        text: {
          zh: '尚无 2027 年官方节假日安排：计入 2027 年的日期均为暂定',
          en: 'No official 2027 calendar yet: dates into 2027 are provisional',
        },
      },
    ]);
  });

  it.each([
    ['to agents and auditors', '2026-11-20T00:00:00Z', ['agent', 'auditor']],
    ['before 1 November', '2026-10-20T00:00:00Z', ['supervisor']],
  ])('shows no banner %s', (_case, instant, roles) => {
    expect(model.calendarBanners(overviewOn(instant), roles)).toEqual([]);
  });

  it('lists the years newest first, packaged or imported by whom, with document number and digest', () => {
    const packaged = PACKAGED_NOTICES.at(-1)!.notice;
    const imported = {
      year: packaged.year,
      notice: packaged,
      importedAt: '2026-11-20T02:00:00.000Z',
      importedBy: 'sam',
      sha256: noticeSha256(packaged),
    };
    const rows = model.calendarYearsView(overviewOn('2026-11-20T00:00:00Z', [imported]));
    expect(rows.map((row) => row.year)).toEqual(
      PACKAGED_NOTICES.map((checked) => checked.notice.year).sort((a, b) => b - a),
    );
    expect(rows[0]).toMatchObject({
      origin: { en: 'imported by sam on 2026-11-20 (replaces the packaged notice)' },
      documentNumber: packaged.source.documentNumber,
      url: packaged.source.url,
      sha256: imported.sha256.slice(0, 12),
      problems: [],
    });
    expect(rows[1]?.origin.en).toBe('packaged');
  });

  it('reads a pasted notice for its year, and refuses text that is not a notice before sending it', () => {
    expect(model.noticeFromText('{"year":2027,"calendarId":"cn-state-council"}')).toMatchObject({
      ok: true,
      year: 2027,
    });
    expect(model.noticeFromText('not json')).toMatchObject({
      ok: false,
      problem: { en: 'This is not JSON' },
    });
    expect(model.noticeFromText('{"year":"2027"}')).toMatchObject({
      ok: false,
      problem: { en: 'The file names no year ("year")' },
    });
  });

  it('puts the year in the path and asks to replace only when told', () => {
    expect(model.noticeImportPath('cn-state-council', 2027, false)).toBe(
      '/v1/console/calendars/cn-state-council/notices/2027',
    );
    expect(model.noticeImportPath('cn-state-council', 2027, true)).toBe(
      '/v1/console/calendars/cn-state-council/notices/2027?replace=true',
    );
  });

  it('says what an import classified, and keeps every problem of a refused file', () => {
    expect(
      model.importSummaryText({
        status: 'imported',
        year: 2027,
        summary: { holidays: 31, makeUpWorkdays: 6, source: { documentNumber: '国办发明电〔2026〕7号' } },
      }).en,
    ).toBe('Imported 2027: 31 holidays, 6 make-up workdays (国办发明电〔2026〕7号)');
    const problem = model.consoleProblem({
      status: 400,
      problem: { code: 'invalid-notice', message: 'bad', problems: ['one', 'two'] },
    });
    expect(problem).toMatchObject({ code: 'invalid-notice', problems: ['one', 'two'] });
    expect(problem.message.zh).toBe('通知文件有误，未导入');
  });
});
