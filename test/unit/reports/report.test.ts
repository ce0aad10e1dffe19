import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, type PlainDate } from '../../../domain/clock';
import { REQUEST_STATUSES } from '../../../domain/lifecycle';
import {
  buildReport,
  median,
  type ReportInput,
  ReportPolicyMissing,
  ReportRangeReversed,
  type ReportRecord,
} from '../../../domain/reports/report';
import { CHANNELS } from '../../../domain/request';

const SHANGHAI = { id: 'pipl-default', timeZone: 'Asia/Shanghai' };
const LOS_ANGELES = { id: 'ccpa', timeZone: 'America/Los_Angeles' };
const POLICIES = [SHANGHAI, LOS_ANGELES];
/** 10:00 in Shanghai on Monday 2025-03-10; still Sunday 2025-03-09 in Los Angeles. */
const AS_OF = new Date('2025-03-10T02:00:00Z');
const day = (text: string) => text as PlainDate;
const TODAY = day('2025-03-10');

/** Builder overrides, dates as plain strings. */
type RecordOverrides = Omit<Partial<ReportRecord>, 'pausedSince' | 'breach'> & {
  readonly dueDate?: string | null;
  readonly pausedSince?: string;
  readonly breach?: { readonly at: string; readonly dueDate: string };
};

/** A request of pipl-default received on 2025-03-01 at 09:00 Shanghai time, open, due on `dueDate`. */
function aRecord(overrides: RecordOverrides = {}): ReportRecord {
  const { dueDate = '2025-03-16', pausedSince, breach, ...rest } = overrides;
  return {
    policyId: SHANGHAI.id,
    channel: 'web',
    status: 'in-progress',
    receivedAt: '2025-03-01T01:00:00.000Z',
    deadline: { dueDate: dueDate === null ? null : day(dueDate) },
    ...(pausedSince ? { pausedSince: day(pausedSince) } : {}),
    ...(breach ? { breach: { at: breach.at, dueDate: day(breach.dueDate) } } : {}),
    ...rest,
  };
}

/** Closed at 10:00 Shanghai time on `date`. */
const closedOn = (date: string) => `${date}T02:00:00.000Z`;

function report(records: readonly ReportRecord[], extra: Partial<ReportInput> = {}) {
  return buildReport({ records, policies: POLICIES, asOf: AS_OF, ...extra });
}

describe('buildReport', () => {
  it.each([
    ['due today', TODAY, { dueWithin3Days: 1, overdue: 0 }],
    ['due in three calendar days', addDays(TODAY, 3), { dueWithin3Days: 1, overdue: 0 }],
    ['due in four calendar days', addDays(TODAY, 4), { dueWithin3Days: 0, overdue: 0 }],
    ['due yesterday', addDays(TODAY, -1), { dueWithin3Days: 0, overdue: 1 }],
    ['waiting for its clock to start', null, { dueWithin3Days: 0, overdue: 0 }],
  ] as const)('counts an open request %s', (_case, dueDate, expected) => {
    expect(report([aRecord({ dueDate })]).overall).toMatchObject({ open: 1, closed: 0, ...expected });
  });

  it("judges due soon and overdue on today in the request's policy zone", () => {
    // Due on Sunday 2025-03-09: overdue in Shanghai (already Monday), due today in Los Angeles.
    const records = [
      aRecord({ dueDate: '2025-03-09' }),
      aRecord({ policyId: 'ccpa', dueDate: '2025-03-09' }),
    ];
    const built = report(records);
    expect(built.byPolicy).toEqual([
      expect.objectContaining({
        policyId: 'pipl-default',
        today: '2025-03-10',
        overdue: 1,
        dueWithin3Days: 0,
      }),
      expect.objectContaining({ policyId: 'ccpa', today: '2025-03-09', overdue: 0, dueWithin3Days: 1 }),
    ]);
  });

  it('never counts a paused clock as due soon, but keeps it overdue if it stopped after its due date', () => {
    const pausedInTime = aRecord({ status: 'awaiting-requester', dueDate: TODAY, pausedSince: '2025-03-05' });
    const pausedLate = aRecord({
      status: 'awaiting-requester',
      dueDate: '2025-03-04',
      pausedSince: '2025-03-05',
    });
    expect(report([pausedInTime, pausedLate]).overall).toMatchObject({
      open: 2,
      dueWithin3Days: 0,
      overdue: 1,
    });
  });

  it('counts breaches the sweeper marked, on open and closed requests alike', () => {
    const breach = { at: '2025-03-08T16:05:00.000Z', dueDate: '2025-03-08' };
    const records = [
      aRecord({ dueDate: '2025-03-08', breach }),
      aRecord({ status: 'fulfilled', dueDate: '2025-03-08', closedAt: closedOn('2025-03-09'), breach }),
      aRecord(),
    ];
    expect(report(records).overall).toMatchObject({ breached: 2, closedLate: 1 });
  });

  it.each([
    ['on its due date', '2025-03-16', 'closedOnTime'],
    ['the day after its due date', '2025-03-17', 'closedLate'],
  ] as const)('counts a request closed %s as %s', (_case, day, counter) => {
    const built = report([aRecord({ status: 'fulfilled', closedAt: closedOn(day) })]);
    expect(built.overall).toMatchObject({ closed: 1, [counter]: 1 });
  });

  it('reads the close day in the policy zone, not UTC', () => {
    // 23:30 UTC on the 16th is already the 17th in Shanghai: one day late.
    const record = aRecord({ status: 'fulfilled', closedAt: '2025-03-16T23:30:00.000Z' });
    expect(report([record]).overall).toMatchObject({ closedLate: 1, medianDaysToClose: 16 });
  });

  it('judges a request closed while paused on the day its clock stopped', () => {
    const record = aRecord({
      status: 'cancelled',
      dueDate: '2025-03-16',
      pausedSince: '2025-03-12',
      closedAt: closedOn('2025-03-20'),
    });
    expect(report([record]).overall).toMatchObject({ closedOnTime: 1, closedLate: 0 });
  });

  it('judges an extended request against its extended due date', () => {
    // The stored due date is the extended one (deadline.ts adds the extension to the period).
    const record = aRecord({ status: 'fulfilled', dueDate: '2025-04-30', closedAt: closedOn('2025-04-20') });
    expect(report([record]).overall.closedOnTime).toBe(1);
  });

  it('counts requests closed before closedAt was recorded as closed, timing unknown', () => {
    const built = report([aRecord({ status: 'refused' })]);
    expect(built.overall).toMatchObject({
      closed: 1,
      closedTimingUnknown: 1,
      closedOnTime: 0,
      closedLate: 0,
      medianDaysToClose: null,
    });
  });

  it('counts a request closed before its clock started apart, with its days to close', () => {
    const record = aRecord({ status: 'expired-unverified', dueDate: null, closedAt: closedOn('2025-03-08') });
    expect(report([record]).overall).toMatchObject({
      closedWithoutDueDate: 1,
      closedOnTime: 0,
      closedLate: 0,
      medianDaysToClose: 7,
    });
  });

  it('takes the median of calendar days from receipt to close', () => {
    const records = ['2025-03-03', '2025-03-05', '2025-03-21'].map((date) =>
      aRecord({ status: 'fulfilled', closedAt: closedOn(date) }),
    );
    expect(report(records).overall.medianDaysToClose).toBe(4);
  });

  it('groups by policy and by channel, with a row for every policy and channel', () => {
    const built = report([aRecord({ channel: 'email' }), aRecord({ policyId: 'ccpa', channel: 'email' })]);
    expect(built.byPolicy.map((row) => [row.policyId, row.received])).toEqual([
      ['pipl-default', 1],
      ['ccpa', 1],
    ]);
    expect(built.byChannel.map((row) => [row.channel, row.received])).toEqual(
      CHANNELS.map((channel) => [channel, channel === 'email' ? 2 : 0]),
    );
  });

  it('keeps only requests received in the range, both ends included, by the day in the policy zone', () => {
    const onDay = (day: PlainDate) => aRecord({ receivedAt: `${day}T01:00:00.000Z` });
    const records = ['2025-02-28', '2025-03-01', '2025-03-05', '2025-03-06'].map((day) =>
      onDay(day as PlainDate),
    );
    // 20:00 UTC on 2025-02-28 is 2025-03-01 in Shanghai.
    records.push(aRecord({ receivedAt: '2025-02-28T20:00:00.000Z' }));
    const built = report(records, { receivedFrom: day('2025-03-01'), receivedTo: day('2025-03-05') });
    expect(built).toMatchObject({ receivedFrom: '2025-03-01', receivedTo: '2025-03-05' });
    expect(built.overall.received).toBe(3);
  });

  it('refuses a range that ends before it starts', () => {
    expect(() => report([], { receivedFrom: day('2025-03-05'), receivedTo: day('2025-03-04') })).toThrow(
      ReportRangeReversed,
    );
  });

  it("refuses a request whose policy it was not given, since it cannot read that request's dates", () => {
    expect(() => report([aRecord({ policyId: 'gdpr' })])).toThrow(ReportPolicyMissing);
  });
});

describe('median', () => {
  it.each([
    [[], null],
    [[5], 5],
    [[9, 1, 4], 4],
    [[1, 2, 3, 10], 2.5],
  ])('of %j is %s', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('lies between the smallest and the largest value', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1 }), (values) => {
        const middle = median(values)!;
        expect(middle).toBeGreaterThanOrEqual(Math.min(...values));
        expect(middle).toBeLessThanOrEqual(Math.max(...values));
      }),
    );
  });
});

const anyDay = fc.integer({ min: 0, max: 120 }).map((offset) => addDays(day('2025-01-01'), offset));
const instant = fc
  .integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2025-05-01T00:00:00Z') })
  .map((ms) => new Date(ms).toISOString());
const record: fc.Arbitrary<ReportRecord> = fc
  .record({
    policyId: fc.constantFrom(SHANGHAI.id, LOS_ANGELES.id),
    channel: fc.constantFrom(...CHANNELS),
    status: fc.constantFrom(...REQUEST_STATUSES),
    receivedAt: instant,
    closedAt: fc.option(instant, { nil: undefined }),
    pausedSince: fc.option(anyDay, { nil: undefined }),
    breached: fc.boolean(),
    dueDate: fc.option(anyDay, { nil: null }),
  })
  .map(({ closedAt, pausedSince, breached, dueDate, ...rest }) => ({
    ...rest,
    deadline: { dueDate },
    ...(closedAt ? { closedAt } : {}),
    ...(pausedSince ? { pausedSince } : {}),
    ...(breached && dueDate ? { breach: { at: '2025-05-01T00:00:00.000Z', dueDate } } : {}),
  }));

describe('buildReport, for any requests', () => {
  const reports = fc.array(record, { maxLength: 40 }).map((records) => report(records));

  it('counts every closed request once: on time, late, timing unknown or without a due date', () => {
    fc.assert(
      fc.property(reports, (built) => {
        for (const row of [built.overall, ...built.byPolicy, ...built.byChannel]) {
          expect(row.closedOnTime + row.closedLate + row.closedTimingUnknown + row.closedWithoutDueDate).toBe(
            row.closed,
          );
          expect(row.open + row.closed).toBe(row.received);
          expect(row.dueWithin3Days + row.overdue).toBeLessThanOrEqual(row.open);
        }
      }),
    );
  });

  it('adds up per policy and per channel to the overall counts', () => {
    fc.assert(
      fc.property(reports, (built) => {
        for (const [key, total] of Object.entries(built.overall)) {
          if (key === 'medianDaysToClose') continue;
          const sum = (rows: readonly object[]) =>
            rows.reduce((acc, row) => acc + ((row as Record<string, number>)[key] ?? 0), 0);
          expect([key, sum(built.byPolicy)]).toEqual([key, total]);
          expect([key, sum(built.byChannel)]).toEqual([key, total]);
        }
      }),
    );
  });

  it('finds a median between the fastest and the slowest group medians', () => {
    fc.assert(
      fc.property(reports, (built) => {
        const medians = built.byPolicy.flatMap((row) =>
          row.medianDaysToClose === null ? [] : [row.medianDaysToClose],
        );
        if (built.overall.medianDaysToClose === null) {
          expect(medians).toEqual([]);
          return;
        }
        expect(built.overall.medianDaysToClose).toBeGreaterThanOrEqual(Math.min(...medians));
        expect(built.overall.medianDaysToClose).toBeLessThanOrEqual(Math.max(...medians));
      }),
    );
  });
});
