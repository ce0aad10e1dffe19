import { describe, expect, it } from 'vitest';
import { type PlainDate, parsePlainDate } from '../../../domain/clock';
import {
  ClockNotStarted,
  clockStatus,
  computeDeadline,
  DatesOutOfOrder,
  type DeadlineInput,
  ExtensionNotAllowed,
  ExtensionNoticeLate,
  InvalidPausedUnits,
  PauseNotAllowed,
  receivedOnFor,
  unitsBetween,
} from '../../../domain/deadline';
import { getPolicy } from '../../../domain/policy/registry';

const day = (text: string): PlainDate => parsePlainDate(text);

/** Builds a deadline from a policy id and plain-text dates. */
function deadline(
  policyId: string,
  receivedOn: string,
  options: { verifiedOn?: string; postponedOn?: string; extended?: boolean; pausedUnits?: number } = {},
) {
  const input: DeadlineInput = { policy: getPolicy(policyId), receivedOn: day(receivedOn) };
  if (options.verifiedOn !== undefined) input.verifiedOn = day(options.verifiedOn);
  if (options.postponedOn !== undefined) input.postponedOn = day(options.postponedOn);
  if (options.extended !== undefined) input.extended = options.extended;
  if (options.pausedUnits !== undefined) input.pausedUnits = options.pausedUnits;
  return computeDeadline(input);
}

describe('computeDeadline: counting the period', () => {
  it('counts 20 working days for sufe over National Day and its make-up Sunday and Saturday', () => {
    // Sun 28 Sep and Sat 11 Oct 2025 are worked; 1-8 Oct are rest days.
    expect(deadline('sufe', '2025-09-26')).toMatchObject({
      policy: 'sufe',
      clockStart: 'receipt',
      startDate: '2025-09-26',
      unit: 'working-days',
      length: 20,
      calendar: 'cn-state-council',
      dueDate: '2025-10-30',
      rolledForward: false,
    });
  });

  it.each([
    ['pipl-default', '2025-04-25', '2025-05-20'], // Labour Day 1-5 May, make-up Sun 27 Apr
    ['system', '2025-01-20', '2025-02-14'], // Spring Festival 28 Jan-4 Feb, make-up 26 Jan and 8 Feb
    ['bestcert', '2025-06-02', '2025-06-23'],
  ])(
    'counts 15 working days from receipt for %s when the seed states no period (%s → %s)',
    (id, received, due) => {
      expect(deadline(id, received).dueDate).toBe(due);
    },
  );

  it('does not count the day of receipt (Civil Code art. 201)', () => {
    expect(deadline('lgpd', '2025-03-01').dueDate).toBe('2025-03-16');
  });

  it('runs the caftrade clock 15 calendar days from verification, not from receipt', () => {
    const verifiedMonday = deadline('caftrade', '2025-03-01', { verifiedOn: '2025-03-03' });
    expect(verifiedMonday).toMatchObject({
      clockStart: 'verification',
      startDate: '2025-03-03',
      dueDate: '2025-03-18',
    });
    const verifiedLater = deadline('caftrade', '2025-03-01', { verifiedOn: '2025-03-10' });
    expect(verifiedLater.dueDate).toBe('2025-03-25');
  });

  it('leaves the caftrade due date open while identity is unverified', () => {
    expect(deadline('caftrade', '2025-03-01')).toEqual({
      policy: 'caftrade',
      clockStart: 'verification',
      startDate: null,
      unit: 'calendar-days',
      length: 15,
      calendar: 'cn-state-council',
      dueDate: null,
      pendingOn: 'verification',
      rolledForward: false,
      reminders: [],
    });
  });

  it('rolls a caftrade due date past the National Day holiday (Civil Code art. 203), reporting both dates', () => {
    expect(deadline('caftrade', '2025-09-20', { verifiedOn: '2025-09-22' })).toMatchObject({
      strictDueDate: '2025-10-07',
      dueDate: '2025-10-09',
      rolledForward: true,
    });
  });

  it.each([
    ['2025-01-31', '2025-02-28'],
    ['2024-01-31', '2024-02-29'],
    ['2025-03-31', '2025-04-30'],
    ['2025-02-28', '2025-03-28'],
  ])('gives gdpr one month from %s: %s', (received, due) => {
    expect(deadline('gdpr', received)).toMatchObject({
      unit: 'months',
      length: 1,
      dueDate: due,
      rolledForward: false,
    });
  });

  it('keeps the strict gdpr date even on a weekend, having no official EU calendar', () => {
    expect(deadline('gdpr', '2025-04-05').dueDate).toBe('2025-05-05'); // a Monday anyway
    expect(deadline('gdpr', '2025-05-03').dueDate).toBe('2025-06-03');
    expect(deadline('gdpr', '2025-04-26').dueDate).toBe('2025-05-26'); // Monday; Belgium works it
  });

  it.each([
    ['2025-07-25', '2025-08-25', '2025-08-26'], // summer bank holiday Monday
    ['2025-04-26', '2025-05-26', '2025-05-27'], // spring bank holiday Monday
    ['2025-11-27', '2025-12-27', '2025-12-29'], // a Saturday
    ['2025-11-25', '2025-12-25', '2025-12-29'], // Christmas Day, Boxing Day, then a weekend
  ])('rolls a uk-gdpr month from %s off %s onto the next working day %s (ICO)', (received, strict, due) => {
    expect(deadline('uk-gdpr', received)).toMatchObject({
      strictDueDate: strict,
      dueDate: due,
      rolledForward: true,
      calendar: 'england-and-wales',
    });
  });

  it('reports no strict date when the uk-gdpr due date already is a working day', () => {
    const result = deadline('uk-gdpr', '2025-06-10');
    expect(result).toMatchObject({ dueDate: '2025-07-10', rolledForward: false });
    expect(result).not.toHaveProperty('strictDueDate');
  });

  it('gives ccpa 45 calendar days and an acknowledgement within 10 business days, skipping Thanksgiving', () => {
    expect(deadline('ccpa', '2025-11-20')).toMatchObject({
      unit: 'calendar-days',
      length: 45,
      dueDate: '2026-01-04',
      acknowledgeBy: '2025-12-05',
    });
  });

  it('acknowledges a ccpa request from receipt even though its reply clock never waits', () => {
    expect(deadline('ccpa', '2025-06-30').acknowledgeBy).toBe('2025-07-15'); // 4 July is a holiday
  });

  it('gives qianxin 15 working days to explain a postponement', () => {
    expect(deadline('qianxin', '2025-09-26')).toMatchObject({
      dueDate: '2025-10-23',
      explanationDueDate: '2025-10-23',
    });
    expect(deadline('qianxin', '2025-04-30').explanationDueDate).toBe('2025-05-26'); // Labour Day 1-5 May
  });

  it('omits acknowledgement and explanation dates on profiles that have none', () => {
    const result = deadline('sufe', '2025-09-26');
    expect(result).not.toHaveProperty('acknowledgeBy');
    expect(result).not.toHaveProperty('explanationDueDate');
    expect(result).not.toHaveProperty('extension');
  });

  it('gives a provisional date, flagged with 2027, when a working-day period runs into a year without a notice', () => {
    const result = deadline('sufe', '2026-12-04');
    expect(result).toMatchObject({ provisional: true, provisionalYears: [2027] });
    expect(result.dueDate).not.toBeNull();
    // 20 working days from Friday 4 December 2026 reach the last days of December, whose weekends the
    // 2027 notice may still make workdays (as the 2019 notice did with 2018-12-29): counted as worked.
    expect(result.dueDate).toBe('2026-12-29');
  });

  it('flags nothing when every day counted is official', () => {
    const result = deadline('sufe', '2025-09-26');
    expect(result).not.toHaveProperty('provisional');
    expect(result).not.toHaveProperty('provisionalYears');
  });
});

describe('computeDeadline: extensions', () => {
  it('extends gdpr by two months counted with the first: three months from receipt', () => {
    expect(deadline('gdpr', '2025-01-31', { extended: true })).toMatchObject({
      dueDate: '2025-04-30',
      extension: { length: 2, unit: 'months', originalDueDate: '2025-02-28', noticeBy: '2025-02-28' },
    });
  });

  it('extends ccpa by 45 days, notice due within the first 45', () => {
    expect(deadline('ccpa', '2025-11-20', { extended: true })).toMatchObject({
      dueDate: '2026-02-18',
      extension: { length: 45, unit: 'calendar-days', originalDueDate: '2026-01-04', noticeBy: '2026-01-04' },
    });
  });

  it('extends uk-gdpr from the strict date and rolls only the final due date', () => {
    expect(deadline('uk-gdpr', '2025-07-25', { extended: true })).toMatchObject({
      dueDate: '2025-10-27', // 25 Oct is a Saturday
      strictDueDate: '2025-10-25',
      extension: { originalDueDate: '2025-08-26', noticeBy: '2025-08-26' },
    });
  });

  it('treats a qianxin postponement as its extension, notified in time', () => {
    expect(deadline('qianxin', '2025-09-26', { postponedOn: '2025-10-20' })).toMatchObject({
      dueDate: '2025-11-13',
      explanationDueDate: '2025-10-23',
      extension: { length: 15, unit: 'working-days', originalDueDate: '2025-10-23', noticeBy: '2025-10-23' },
    });
  });

  it('refuses a postponement notified after the explanation was due', () => {
    expect(() => deadline('qianxin', '2025-09-26', { postponedOn: '2025-10-24' })).toThrow(
      ExtensionNoticeLate,
    );
  });

  it.each(['sufe', 'caftrade', 'lgpd', 'pipl-default'])(
    'refuses to extend %s, whose source allows none',
    (id) => {
      expect(() => deadline(id, '2025-03-03', { verifiedOn: '2025-03-03', extended: true })).toThrow(
        ExtensionNotAllowed,
      );
    },
  );
});

describe('computeDeadline: pauses, reminders and bad input', () => {
  it('lengthens a working-day period by exactly the paused working days', () => {
    expect(deadline('sufe', '2025-09-26', { pausedUnits: 5 }).dueDate).toBe('2025-11-06');
  });

  it('lengthens a month period by paused calendar days', () => {
    expect(deadline('gdpr', '2025-01-31', { pausedUnits: 3 }).dueDate).toBe('2025-03-03');
  });

  it.each(['ccpa', 'lgpd', 'caftrade'])('refuses a pause on %s, whose clock never stops', (id) => {
    expect(() => deadline(id, '2025-03-03', { verifiedOn: '2025-03-03', pausedUnits: 2 })).toThrow(
      PauseNotAllowed,
    );
  });

  it.each([-1, 1.5, Number.NaN])('rejects %s paused units', (pausedUnits) => {
    expect(() => deadline('sufe', '2025-09-26', { pausedUnits })).toThrow(InvalidPausedUnits);
  });

  it('rejects a verification dated before the request was received', () => {
    expect(() => deadline('caftrade', '2025-03-05', { verifiedOn: '2025-03-04' })).toThrow(DatesOutOfOrder);
  });

  it('places reminders ceil(fraction × length) units after the start', () => {
    // 20 working days: 10th and 16th working day after 26 Sep 2025.
    expect(deadline('sufe', '2025-09-26').reminders).toEqual([
      { fraction: 0.5, date: '2025-10-16' },
      { fraction: 0.8, date: '2025-10-24' },
    ]);
    // 45 calendar days: day 23 and day 36.
    expect(deadline('ccpa', '2025-11-20').reminders).toEqual([
      { fraction: 0.5, date: '2025-12-13' },
      { fraction: 0.8, date: '2025-12-26' },
    ]);
  });

  it('places month reminders by the real days of the month (28 days in February)', () => {
    expect(deadline('gdpr', '2025-01-31').reminders).toEqual([
      { fraction: 0.5, date: '2025-02-14' },
      { fraction: 0.8, date: '2025-02-23' },
    ]);
  });
});

describe('receivedOnFor', () => {
  const instant = new Date('2025-09-26T17:30:00Z');

  it.each([
    ['sufe', '2025-09-27'], // 01:30 in Shanghai
    ['ccpa', '2025-09-26'], // 10:30 in Los Angeles
    ['uk-gdpr', '2025-09-26'], // 18:30 in London
  ])('reads the instant as a date in the %s time zone: %s', (id, expected) => {
    expect(receivedOnFor(getPolicy(id), instant)).toBe(expected);
  });
});

describe('unitsBetween', () => {
  it('counts working days on working-day clocks, start excluded, end included', () => {
    expect(unitsBetween(getPolicy('sufe'), day('2025-09-30'), day('2025-10-09'))).toBe(1);
    expect(unitsBetween(getPolicy('sufe'), day('2025-10-09'), day('2025-09-30'))).toBe(-1);
  });

  it('counts calendar days on month and calendar-day clocks', () => {
    expect(unitsBetween(getPolicy('gdpr'), day('2025-01-31'), day('2025-02-28'))).toBe(28);
    expect(unitsBetween(getPolicy('ccpa'), day('2025-03-10'), day('2025-03-01'))).toBe(-9);
  });
});

describe('clockStatus', () => {
  const sufe = deadline('sufe', '2025-09-26');

  it.each([
    ['2025-10-01', 29, 17, false],
    ['2025-10-30', 0, 0, false],
    ['2025-10-31', -1, -1, true],
  ])('on %s leaves %i days (%i working days); overdue: %s', (today, daysLeft, workingDaysLeft, overdue) => {
    expect(clockStatus(sufe, day(today))).toEqual({ daysLeft, workingDaysLeft, overdue });
  });

  it('counts only calendar days when the clock has no calendar', () => {
    expect(clockStatus(deadline('ccpa', '2025-11-20'), day('2025-12-25'))).toEqual({
      daysLeft: 10,
      overdue: false,
    });
  });

  it('refuses to report on a clock that waits for verification', () => {
    expect(() => clockStatus(deadline('caftrade', '2025-03-01'), day('2025-03-02'))).toThrow(ClockNotStarted);
  });
});
