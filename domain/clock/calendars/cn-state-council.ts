/**
 * Mainland China's working calendar, from the annual notices of the General Office of the State Council
 * (国务院办公厅关于20XX年部分节假日安排的通知), with the statutory baseline for years without one.
 *
 * In China a day is a rest day when it is a weekend day or falls in a notice's 放假 span, unless the
 * notice lists it as 上班 (调休上班: a weekend day worked to make up for a bridged weekday). The notices
 * are data in notices/cn-state-council/<year>.json, transcribed with their URL, document number and
 * issue date, and checked at load by the same code that checks a notice imported at run time
 * (official-notice.ts). A year whose notice has not been published yet is counted on the statutory
 * baseline (cn-statutory.ts), and every date it gives is flagged provisional.
 *
 * To add a year without a release: `npx dsar calendar import <file>` (or the console's calendar page).
 * To package it: add the file here and to NOTICE_FILES.
 */
import notice2024 from './notices/cn-state-council/2024.json' with { type: 'json' };
import notice2025 from './notices/cn-state-council/2025.json' with { type: 'json' };
import notice2026 from './notices/cn-state-council/2026.json' with { type: 'json' };
import { CN_STATUTORY_BASELINE } from './cn-statutory';
import { type CheckedNotice, checkNotice, type OfficialNotice } from './official-notice';
import type { CalendarYear, WorkingCalendar } from './types';
import { buildWorkingCalendar } from './working-calendar';

const NOTICE_FILES: readonly unknown[] = [notice2024, notice2025, notice2026];

/** The notices as published, one per year, checked. */
export const PACKAGED_NOTICES: readonly CheckedNotice[] = NOTICE_FILES.map((file) => checkNotice(file));

export const CN_STATE_COUNCIL_NAME = 'Mainland China (State Council holiday arrangements, with make-up workdays)';

/**
 * The calendar from the packaged notices and any imported at run time. An imported notice replaces a
 * packaged one of the same year: an operator's correction must win over the release.
 */
export function cnStateCouncilCalendar(imported: readonly OfficialNotice[] = []): WorkingCalendar {
  const years = new Map<number, CalendarYear>();
  for (const { calendarYear } of PACKAGED_NOTICES) years.set(calendarYear.year, calendarYear);
  for (const notice of imported) years.set(notice.year, checkNotice(notice).calendarYear);
  return buildWorkingCalendar({
    id: 'cn-state-council',
    name: CN_STATE_COUNCIL_NAME,
    years: [...years.values()],
    baseline: CN_STATUTORY_BASELINE,
    annualNotice: true,
  });
}
