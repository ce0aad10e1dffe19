/**
 * The back-test of the provisional rule (domain/clock/calendars/cn-statutory.ts): for every start day
 * from 2015 to 2026 and periods of 15 and 20 working days, the date counted on the statutory baseline
 * alone must be on or before the date the official notices give. Prints how often and how far the
 * baseline runs early. Run with `npm run backtest`; test/unit/clock/statutory-backtest.test.ts
 * asserts the "never later" half on every run of `npm test`.
 *
 * Anyone can check a single case by hand with the CLI:
 *   npx dsar deadline --policy sufe --received 2019-04-26                      (official)
 *   npx dsar deadline --policy sufe --received 2019-04-26 --calendar statutory  (baseline)
 */
import { pathToFileURL } from 'node:url';
import {
  addDays,
  addWorkingDays,
  compareDates,
  daysBetween,
  getCalendar,
  PACKAGED_CALENDARS,
  type PlainDate,
  STATUTORY_CALENDARS,
} from '../domain/clock';
import { MAKE_UP_WINDOW_DAYS } from '../domain/clock/calendars/cn-statutory';

export interface BacktestRow {
  workingDays: number;
  cases: number;
  /** Start days whose baseline date is later than the official one: must be 0. */
  later: { start: PlainDate; official: PlainDate; statutory: PlainDate }[];
  same: number;
  /** Calendar days the baseline runs early, on average over all cases and at worst. */
  meanDaysEarly: number;
  worstDaysEarly: number;
  worstStart: PlainDate;
}

export const BACKTEST_FIRST_YEAR = 2015;
export const BACKTEST_LAST_YEAR = 2026;

export function backtest(periods: readonly number[] = [15, 20]): BacktestRow[] {
  const official = getCalendar('cn-state-council', PACKAGED_CALENDARS);
  const statutory = getCalendar('cn-state-council', STATUTORY_CALENDARS);
  const last = `${BACKTEST_LAST_YEAR}-12-31` as PlainDate;
  return periods.map((workingDays) => {
    const row: BacktestRow = {
      workingDays,
      cases: 0,
      later: [],
      same: 0,
      meanDaysEarly: 0,
      worstDaysEarly: 0,
      worstStart: `${BACKTEST_FIRST_YEAR}-01-01` as PlainDate,
    };
    let totalEarly = 0;
    for (let start = `${BACKTEST_FIRST_YEAR}-01-01` as PlainDate; ; start = addDays(start, 1)) {
      const officialEnd = addWorkingDays(official, start, workingDays);
      // Periods that run past the last official year are provisional themselves: not a comparison.
      if (compareDates(officialEnd, last) > 0) break;
      const statutoryEnd = addWorkingDays(statutory, start, workingDays);
      row.cases += 1;
      const early = daysBetween(statutoryEnd, officialEnd);
      if (early < 0) row.later.push({ start, official: officialEnd, statutory: statutoryEnd });
      else if (early === 0) row.same += 1;
      totalEarly += Math.max(early, 0);
      if (early > row.worstDaysEarly) {
        row.worstDaysEarly = early;
        row.worstStart = start;
      }
    }
    row.meanDaysEarly = Math.round((totalEarly / row.cases) * 100) / 100;
    return row;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(
    `Statutory baseline vs official State Council notices, ${BACKTEST_FIRST_YEAR}-${BACKTEST_LAST_YEAR} (make-up window ${MAKE_UP_WINDOW_DAYS} days)`,
  );
  console.log('| working days | start days | later | same day | mean days early | worst (start day) |');
  console.log('|---|---|---|---|---|---|');
  for (const row of backtest()) {
    console.log(
      `| ${row.workingDays} | ${row.cases} | ${row.later.length} | ${row.same} | ${row.meanDaysEarly} | ${row.worstDaysEarly} (${row.worstStart}) |`,
    );
    for (const later of row.later.slice(0, 10)) console.log(`  later: ${JSON.stringify(later)}`);
  }
}
