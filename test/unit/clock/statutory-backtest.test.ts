/**
 * The provisional rule is safe only if the statutory baseline never gives a later date than the
 * official notices: checked for every start day of 2015-2026, for the 15 and 20 working days the
 * seeds promise, against every notice transcribed (special notices included).
 */
import { describe, expect, it } from 'vitest';
import { PACKAGED_NOTICES } from '../../../domain/clock';
import { SPECIAL_NOTICES } from '../../../domain/clock/calendars/cn-state-council';
import { BACKTEST_FIRST_YEAR, BACKTEST_LAST_YEAR, backtest } from '../../../scripts/backtest-statutory';

describe('the statutory baseline, back-tested on the State Council notices of 2015-2026', () => {
  it('has every annual notice from 2015 to 2026 as data, each citing its gov.cn page, number and issue date', () => {
    const years = PACKAGED_NOTICES.map(({ notice }) => notice.year);
    expect(years).toEqual(
      Array.from({ length: BACKTEST_LAST_YEAR - BACKTEST_FIRST_YEAR + 1 }, (_, i) => BACKTEST_FIRST_YEAR + i),
    );
    for (const { notice } of [...PACKAGED_NOTICES, ...SPECIAL_NOTICES]) {
      expect(notice.source.url).toMatch(/^https:\/\/www\.gov\.cn\//);
      expect(notice.source.documentNumber).toMatch(/^国(办)?发明电〔\d{4}〕\d+号$/);
      expect(notice.source.published < `${notice.year}-12-31`).toBe(true);
    }
  });

  it.each(backtest().map((row) => [row.workingDays, row] as const))(
    'never ends a period of %i working days later than the official date',
    (_workingDays, row) => {
      expect(row.cases).toBeGreaterThan(4300);
      expect(row.later).toEqual([]);
      // Early, but not absurdly: a provisional date is still a usable deadline.
      expect(row.meanDaysEarly).toBeLessThan(7);
    },
  );
});
