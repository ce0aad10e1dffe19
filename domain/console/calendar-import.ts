/**
 * Official holiday notices imported at run time (`PUT /v1/console/calendars/{calendarId}/notices/{year}`,
 * `npx dsar calendar import`), and what the console shows of the calendars (`GET /v1/console/calendars`).
 * Pure: the adapter reads the stored notices and the clock, and hands them in.
 *
 * An import is refused unless it is the notice of the year named in the path, and it never replaces a
 * packaged or already imported year silently: the operator asks for `replace`, and the trail names
 * the notice replaced by its SHA-256.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json';
import {
  CALENDAR_IDS,
  type CalendarId,
  type CalendarSource,
  type CheckedNotice,
  calendarSet,
  checkNotice,
  InvalidCalendarData,
  type OfficialNotice,
  PACKAGED_NOTICES,
  type PlainDate,
  plainDateInZone,
  yearOf,
} from '../clock';
import { Conflict, InvalidInput } from '../errors';

/** The calendars whose official data arrives as an annual notice an operator may import. */
export const IMPORTABLE_CALENDARS = ['cn-state-council'] as const satisfies readonly CalendarId[];
export type ImportableCalendar = (typeof IMPORTABLE_CALENDARS)[number];

/** "Today" for the missing-notice watch: the State Council's notices are dated in Beijing time. */
export const CALENDAR_WATCH_TIME_ZONE = 'Asia/Shanghai';
/** From this month on (November), next year's notice is watched for: it is usually published in late October or November. */
export const NEXT_YEAR_WATCH_FROM_MONTH = 11;

/** The body's year is not the year the path names. */
export class NoticeYearMismatch extends InvalidInput {
  override readonly name = 'NoticeYearMismatch' as const;
  readonly code = 'notice-year-mismatch';
  override readonly field = 'year';
  constructor(pathYear: number, noticeYear: number) {
    super(`The path names ${pathYear} but the notice is for ${noticeYear}`);
  }
}

/** The year has official data already (packaged or imported) and the caller did not ask to replace it. */
export class NoticeAlreadyPresent extends Conflict {
  override readonly name = 'NoticeAlreadyPresent' as const;
  readonly code = 'notice-exists';
  constructor(
    readonly calendarId: string,
    readonly year: number,
    readonly origin: 'packaged' | 'imported',
  ) {
    super(
      `${calendarId} ${year} already has ${origin === 'packaged' ? 'a packaged' : 'an imported'} notice; ` +
        'import with replace=true to replace it',
    );
  }
}

/** An imported notice as the adapter stores it (adapters/aws/calendar-notices.ts StoredNotice). */
export interface ImportRecord {
  readonly year: number;
  readonly notice: OfficialNotice;
  readonly importedAt: string;
  readonly importedBy: string;
  readonly sha256: string;
}

/** SHA-256 of the notice's canonical JSON: the same notice has the same digest however it was formatted. */
export function noticeSha256(notice: OfficialNotice): string {
  return createHash('sha256').update(canonicalJson(notice)).digest('hex');
}

export interface FestivalSummary {
  readonly festival: string;
  readonly daysOff: { readonly from: string; readonly to: string };
  /** Days in the span, weekend days included. */
  readonly days: number;
  readonly makeUpWorkdays: readonly string[];
}

/** How the notice classifies its year: what an operator checks against the published text. */
export interface NoticeSummary {
  readonly calendarId: string;
  readonly year: number;
  readonly source: CalendarSource;
  /** Days of the year off under the notice (weekend days inside a span included). */
  readonly holidays: number;
  /** Weekend days of the year worked (调休上班). */
  readonly makeUpWorkdays: number;
  /** Ordinary weekend days (neither off by the notice nor worked). */
  readonly weekendDays: number;
  readonly workingDays: number;
  readonly festivals: readonly FestivalSummary[];
}

export function noticeSummary(checked: CheckedNotice): NoticeSummary {
  const count = (kind: string) => checked.days.filter((day) => day.class === kind).length;
  return {
    calendarId: checked.notice.calendarId,
    year: checked.notice.year,
    source: checked.notice.source,
    holidays: count('holiday'),
    makeUpWorkdays: count('make-up workday'),
    weekendDays: count('weekend'),
    workingDays: count('working'),
    festivals: checked.notice.arrangements.map((arrangement) => {
      const from = Date.parse(`${arrangement.daysOff.from}T00:00:00Z`);
      const to = Date.parse(`${arrangement.daysOff.to}T00:00:00Z`);
      return {
        festival: arrangement.festival,
        daysOff: arrangement.daysOff,
        days: Math.round((to - from) / 86_400_000) + 1,
        makeUpWorkdays: arrangement.makeUpWorkdays.map((day) => day.date),
      };
    }),
  };
}

export interface ImportPlan {
  /** What the import replaces, if anything. */
  readonly replaces: 'packaged' | 'imported' | null;
}

/**
 * Decides whether a checked notice may be stored as `pathYear`'s: the years must agree, and a year with
 * official data (packaged, or imported before: `existing`) is replaced only when asked.
 */
export function planImport(input: {
  readonly calendarId: string;
  readonly pathYear: number;
  readonly checked: CheckedNotice;
  readonly replace: boolean;
  readonly existing: ImportRecord | undefined;
}): ImportPlan {
  const { calendarId, pathYear, checked, replace, existing } = input;
  if (checked.notice.year !== pathYear) throw new NoticeYearMismatch(pathYear, checked.notice.year);
  const packaged = PACKAGED_NOTICES.some((packagedNotice) => packagedNotice.notice.year === pathYear);
  if (existing !== undefined) {
    if (!replace) throw new NoticeAlreadyPresent(calendarId, pathYear, 'imported');
    return { replaces: 'imported' };
  }
  if (packaged) {
    if (!replace) throw new NoticeAlreadyPresent(calendarId, pathYear, 'packaged');
    return { replaces: 'packaged' };
  }
  return { replaces: null };
}

export interface CalendarYearView {
  readonly year: number;
  /** packaged: shipped with the release; imported: added at run time (who, when, digest). */
  readonly origin: 'packaged' | 'imported';
  readonly source: CalendarSource;
  readonly holidays: number;
  readonly makeUpWorkdays: number;
  /** The notice's digest (China's notices; generated calendars have none). */
  readonly sha256?: string;
  readonly importedAt?: string;
  readonly importedBy?: string;
  /** An imported notice that replaces the packaged one of its year. */
  readonly replacesPackaged?: true;
  /** A stored notice that no longer passes the check: not used, counted on the baseline instead. */
  readonly problems?: readonly string[];
}

export interface CalendarView {
  readonly calendarId: CalendarId;
  readonly name: string;
  /** Whether notices for this calendar can be imported (China's annual notices). */
  readonly importable: boolean;
  readonly years: readonly CalendarYearView[];
  readonly nextYear: number;
  readonly nextYearOfficial: boolean;
  /** From 1 November (Beijing time), next year has no official data yet: dates into it are provisional. */
  readonly nextYearMissing: boolean;
}

export interface CalendarsOverview {
  readonly asOf: string;
  readonly today: PlainDate;
  readonly timeZone: string;
  readonly calendars: readonly CalendarView[];
}

function isImportable(id: CalendarId): id is ImportableCalendar {
  return (IMPORTABLE_CALENDARS as readonly string[]).includes(id);
}

/** Every calendar's official years with their source and origin, and whether next year's notice is missing. */
export function calendarsOverview(imported: readonly ImportRecord[], now: Date): CalendarsOverview {
  const today = plainDateInZone(now, CALENDAR_WATCH_TIME_ZONE);
  const thisYear = yearOf(today);
  const watching = Number(today.slice(5, 7)) >= NEXT_YEAR_WATCH_FROM_MONTH;
  const usable: ImportRecord[] = [];
  const unusable = new Map<number, readonly string[]>();
  for (const record of imported) {
    try {
      checkNotice(record.notice);
      usable.push(record);
    } catch (error) {
      if (!(error instanceof InvalidCalendarData)) throw error;
      unusable.set(record.year, error.problems);
    }
  }
  const set = calendarSet(usable.map((record) => record.notice));
  const importedByYear = new Map(imported.map((record) => [record.year, record]));
  const packagedByYear = new Map(PACKAGED_NOTICES.map((checked) => [checked.notice.year, checked.notice]));

  const calendars = CALENDAR_IDS.map((calendarId): CalendarView => {
    const calendar = set.get(calendarId);
    const importable = isImportable(calendarId);
    const years: CalendarYearView[] = calendar.years.map((calendarYear) => {
      const record = importable ? importedByYear.get(calendarYear.year) : undefined;
      const packaged = importable ? packagedByYear.get(calendarYear.year) : undefined;
      const counts = {
        source: calendarYear.source,
        holidays: calendarYear.holidays.length,
        makeUpWorkdays: calendarYear.makeUpWorkdays.length,
      };
      if (record !== undefined && !unusable.has(record.year)) {
        return {
          year: calendarYear.year,
          origin: 'imported',
          ...counts,
          sha256: record.sha256,
          importedAt: record.importedAt,
          importedBy: record.importedBy,
          ...(packaged ? { replacesPackaged: true as const } : {}),
        };
      }
      return {
        year: calendarYear.year,
        origin: 'packaged',
        ...counts,
        ...(packaged ? { sha256: noticeSha256(packaged) } : {}),
      };
    });
    if (importable) {
      // Stored notices that fail the check are shown, so an operator sees why the year is provisional.
      for (const [year, problems] of unusable) {
        const record = importedByYear.get(year)!;
        if (calendar.isOfficial(year)) continue;
        years.push({
          year,
          origin: 'imported',
          source: record.notice.source,
          holidays: 0,
          makeUpWorkdays: 0,
          sha256: record.sha256,
          importedAt: record.importedAt,
          importedBy: record.importedBy,
          problems,
        });
      }
      years.sort((a, b) => a.year - b.year);
    }
    const nextYearOfficial = calendar.isOfficial(thisYear + 1);
    return {
      calendarId,
      name: calendar.name,
      importable,
      years,
      nextYear: thisYear + 1,
      nextYearOfficial,
      nextYearMissing: watching && !nextYearOfficial,
    };
  });
  return { asOf: now.toISOString(), today, timeZone: CALENDAR_WATCH_TIME_ZONE, calendars };
}
