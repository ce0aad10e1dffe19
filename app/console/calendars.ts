/**
 * The official calendars in the console (domain/console/calendar-import.ts):
 *
 * - the overview: every calendar's official years with their source, packaged or imported (who, when,
 *   SHA-256), and `nextYearMissing` from 1 November (Beijing time) while next year's notice is not in;
 * - an import (supervisors): a State Council notice, so a new year's dates become official without a
 *   release. The body is checked by the code that checks the packaged notices (every problem of a bad
 *   file listed); the notice, its audit event and the trail's head are stored together
 *   (CalendarNoticeStore).
 *
 * `npx dsar calendar import|status` call the routes over these, so the one code path validates, stores
 * and audits.
 */
import { checkNotice } from '../../domain/clock';
import {
  type CalendarsOverview,
  calendarsOverview,
  type ImportableCalendar,
  type NoticeSummary,
  noticeSha256,
  noticeSummary,
  planImport,
} from '../../domain/console/calendar-import';
import type { Clock } from '../ports';
import type { CalendarNoticeStore, ConsoleUser, StoredCalendarNotice } from './ports';

export interface CalendarDeps {
  readonly notices: CalendarNoticeStore;
  readonly clock: Clock;
}

export async function calendarsStatus(deps: CalendarDeps): Promise<CalendarsOverview> {
  return calendarsOverview(await deps.notices.imported(), deps.clock.now());
}

export interface NoticeImport {
  readonly calendarId: ImportableCalendar;
  readonly year: number;
  /** The notice as sent: checked here, every problem listed. */
  readonly body: unknown;
  readonly replace: boolean;
}

export interface ImportedNotice {
  readonly status: 'imported' | 'replaced';
  readonly replaces: 'packaged' | 'imported' | null;
  readonly calendarId: string;
  readonly year: number;
  readonly sha256: string;
  readonly importedAt: string;
  readonly importedBy: string;
  readonly audit: { readonly trail: string; readonly seq: number; readonly hash: string };
  readonly summary: NoticeSummary;
}

export async function importNotice(
  deps: CalendarDeps,
  caller: ConsoleUser,
  input: NoticeImport,
): Promise<ImportedNotice> {
  const { calendarId, year, replace } = input;
  const checked = checkNotice(input.body, calendarId);
  const existing = await deps.notices.read(calendarId, year);
  const plan = planImport({ calendarId, pathYear: year, checked, replace, existing });
  const at = deps.clock.now().toISOString();
  const stored: StoredCalendarNotice = {
    calendarId,
    year,
    notice: checked.notice,
    importedAt: at,
    importedBy: caller.actor.id,
    sha256: noticeSha256(checked.notice),
  };
  const summary = noticeSummary(checked);
  const audit = await deps.notices.store(
    stored,
    {
      type: 'calendar-notice-imported',
      actor: caller.actor,
      at,
      details: {
        calendarId,
        year,
        sha256: stored.sha256,
        documentNumber: checked.notice.source.documentNumber,
        url: checked.notice.source.url,
        published: checked.notice.source.published,
        holidays: summary.holidays,
        makeUpWorkdays: summary.makeUpWorkdays,
        replaces: plan.replaces,
        ...(existing ? { replacedSha256: existing.sha256 } : {}),
      },
    },
    { replace },
  );
  return {
    status: plan.replaces === null ? 'imported' : 'replaced',
    replaces: plan.replaces,
    calendarId,
    year,
    sha256: stored.sha256,
    importedAt: at,
    importedBy: stored.importedBy,
    audit: { trail: audit.requestId, seq: audit.seq, hash: audit.hash },
    summary,
  };
}
