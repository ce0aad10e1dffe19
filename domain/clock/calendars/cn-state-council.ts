/**
 * Mainland China's working calendar, from the annual notices of the General Office of the State Council
 * (国务院办公厅关于20XX年部分节假日安排的通知), with the statutory baseline for years without one.
 *
 * In China a day is a rest day when it is a weekend day or falls in a notice's 放假 span, unless the
 * notice lists it as 上班 (调休上班: a weekend day worked to make up for a bridged weekday). The notices
 * are data in notices/cn-state-council/<year>.json, transcribed with their URL, document number and
 * issue date, and checked at load by the same code that checks a notice imported at run time
 * (official-notice.ts). Special notices that amended a year after its annual notice (the 2015 Victory
 * Day holiday, the 2019 Labour Day change, the 2020 Spring Festival extension) are in special.json and
 * override the annual arrangement day by day. docs/sources/cn-statutory-holidays.md records how each
 * was checked.
 *
 * A year whose notice has not been published yet is counted on the statutory baseline
 * (cn-statutory.ts), and every date it gives is flagged provisional.
 *
 * To add a year without a release: `npx dsar calendar import <file>` (or the console's calendar page).
 * To package it: add the file here and to ANNUAL_NOTICE_FILES.
 */

import { CN_STATUTORY_BASELINE } from './cn-statutory';
import notice2015 from './notices/cn-state-council/2015.json' with { type: 'json' };
import notice2016 from './notices/cn-state-council/2016.json' with { type: 'json' };
import notice2017 from './notices/cn-state-council/2017.json' with { type: 'json' };
import notice2018 from './notices/cn-state-council/2018.json' with { type: 'json' };
import notice2019 from './notices/cn-state-council/2019.json' with { type: 'json' };
import notice2020 from './notices/cn-state-council/2020.json' with { type: 'json' };
import notice2021 from './notices/cn-state-council/2021.json' with { type: 'json' };
import notice2022 from './notices/cn-state-council/2022.json' with { type: 'json' };
import notice2023 from './notices/cn-state-council/2023.json' with { type: 'json' };
import notice2024 from './notices/cn-state-council/2024.json' with { type: 'json' };
import notice2025 from './notices/cn-state-council/2025.json' with { type: 'json' };
import notice2026 from './notices/cn-state-council/2026.json' with { type: 'json' };
import specialNotices from './notices/cn-state-council/special.json' with { type: 'json' };
import { type CheckedNotice, checkNotice, type OfficialNotice } from './official-notice';
import type { CalendarDay, CalendarYear, WorkingCalendar } from './types';
import { buildWorkingCalendar } from './working-calendar';

const ANNUAL_NOTICE_FILES: readonly unknown[] = [
  notice2015,
  notice2016,
  notice2017,
  notice2018,
  notice2019,
  notice2020,
  notice2021,
  notice2022,
  notice2023,
  notice2024,
  notice2025,
  notice2026,
];

/** The annual notices as published, one per year, checked. */
export const PACKAGED_NOTICES: readonly CheckedNotice[] = ANNUAL_NOTICE_FILES.map((file) =>
  checkNotice(file),
);

/** Notices that amended a year after its annual notice, checked, in the order they were issued. */
export const SPECIAL_NOTICES: readonly CheckedNotice[] = specialNotices.notices
  .map((file) => checkNotice(file))
  .sort((a, b) => a.notice.source.published.localeCompare(b.notice.source.published));

export const CN_STATE_COUNCIL_NAME =
  'Mainland China (State Council holiday arrangements, with make-up workdays)';

/** The annual arrangement with the year's special notices applied over it, day by day. */
function amended(annual: CalendarYear, specials: readonly CheckedNotice[]): CalendarYear {
  if (specials.length === 0) return annual;
  const days = new Map<string, { day: CalendarDay; working: boolean }>();
  const apply = (year: CalendarYear) => {
    for (const day of year.holidays) days.set(day.date, { day, working: false });
    for (const day of year.makeUpWorkdays) days.set(day.date, { day, working: true });
  };
  apply(annual);
  for (const special of specials) apply(special.calendarYear);
  const all = [...days.values()].sort((a, b) => a.day.date.localeCompare(b.day.date));
  return {
    ...annual,
    amendedBy: specials.map((special) => special.notice.source),
    holidays: all.filter((entry) => !entry.working).map((entry) => entry.day),
    makeUpWorkdays: all.filter((entry) => entry.working).map((entry) => entry.day),
  };
}

/**
 * The calendar from the packaged notices and any imported at run time. An imported notice replaces a
 * packaged one of the same year: an operator's correction must win over the release.
 */
export function cnStateCouncilCalendar(imported: readonly OfficialNotice[] = []): WorkingCalendar {
  const years = new Map<number, CalendarYear>();
  for (const { calendarYear } of PACKAGED_NOTICES) {
    const specials = SPECIAL_NOTICES.filter((special) => special.notice.year === calendarYear.year);
    years.set(calendarYear.year, amended(calendarYear, specials));
  }
  for (const notice of imported) years.set(notice.year, checkNotice(notice).calendarYear);
  return buildWorkingCalendar({
    id: 'cn-state-council',
    name: CN_STATE_COUNCIL_NAME,
    years: [...years.values()],
    baseline: CN_STATUTORY_BASELINE,
    annualNotice: true,
  });
}
