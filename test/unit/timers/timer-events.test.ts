import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, getCalendar, type PlainDate, plainDateInZone } from '../../../domain/clock';
import { computeDeadline } from '../../../domain/deadline';
import type { RequestStatus } from '../../../domain/lifecycle';
import { getPolicy, listPolicies } from '../../../domain/policy/registry';
import type { PolicyProfile } from '../../../domain/policy/schema';
import { requestClock } from '../../../domain/request-clock';
import {
  ACKNOWLEDGEMENT_KIND,
  dueTimerEvents,
  EXPLANATION_DUE_KIND,
  EXPLANATION_GIVEN_KIND,
  EXPLANATION_OVERDUE_KIND,
  type TimerEvent,
  type TimerRecord,
} from '../../../domain/timers/timer-events';

const sufe = getPolicy('sufe');
const ccpa = getPolicy('ccpa');
const qianxin = getPolicy('qianxin');

/** Noon in Shanghai (04:00 UTC) of a plain date. */
function noonInShanghai(date: string): Date {
  return new Date(`${date}T04:00:00Z`);
}

function openRecord(
  policy: PolicyProfile,
  receivedAt: string,
  overrides: Partial<TimerRecord> = {},
): TimerRecord {
  const { deadline } = requestClock(policy, { receivedAt, extended: false, pausedUnits: 0 });
  return { status: 'verified', deadline, ...overrides };
}

/** Runs the timers every `stepHours` from `from` (an instant), recording every kind as the sweeper does. */
function runEvery(policy: PolicyProfile, start: TimerRecord, from: Date, runs: number, stepHours: number) {
  let record = start;
  const fired: { day: PlainDate; event: TimerEvent }[] = [];
  for (let run = 0; run < runs; run++) {
    const now = new Date(from.getTime() + run * stepHours * 3_600_000);
    const events = dueTimerEvents(policy, record, now);
    const day = plainDateInZone(now, policy.timeZone);
    const sent = { ...(record.remindersSent ?? {}) };
    for (const event of events) {
      fired.push({ day, event });
      if (event.type === 'breach')
        record = { ...record, breach: { at: now.toISOString(), dueDate: event.dueDate } };
      else sent[event.kind] = now.toISOString();
    }
    record = { ...record, remindersSent: sent };
  }
  return fired;
}

/** One sweep a day at noon in Shanghai, from `from` (a plain date). */
function runDaily(policy: PolicyProfile, start: TimerRecord, from: string, days: number) {
  return runEvery(policy, start, noonInShanghai(from), days, 24);
}

describe('reply timers of a sufe request received on 26 September 2025', () => {
  const record = openRecord(sufe, '2025-09-26T02:00:00Z');

  it('is due on 30 October with reminders on 16 and 24 October, counted past National Day', () => {
    expect(record.deadline).toMatchObject({
      dueDate: '2025-10-30',
      reminders: [
        { fraction: 0.5, date: '2025-10-16' },
        { fraction: 0.8, date: '2025-10-24' },
      ],
    });
  });

  it('reminds on 16 and 24 October, marks the breach on 31 October, and nothing on 1-8 October', () => {
    const fired = runDaily(sufe, record, '2025-09-26', 45);
    expect(fired.map(({ day, event }) => [day, event.kind])).toEqual([
      ['2025-10-16', 'reminder:0.5'],
      ['2025-10-24', 'reminder:0.8'],
      ['2025-10-31', 'breach'],
    ]);
  });

  it('holds a reminder whose day falls in the holiday until the next working day', () => {
    // 0.5 of a period whose reminder day has come while the sweeper was down over the holiday.
    const late = {
      ...record,
      deadline: { ...record.deadline, reminders: [{ fraction: 0.5, date: '2025-09-30' as PlainDate }] },
    };
    const fired = runDaily(sufe, late, '2025-10-01', 10);
    expect(fired.map(({ day, event }) => [day, event.kind])).toEqual([['2025-10-09', 'reminder:0.5']]);
  });

  it('reads the day in the policy time zone: 16:00 UTC on 30 October is already the 31st in Shanghai', () => {
    const reminded = {
      ...record,
      remindersSent: { 'reminder:0.5': '2025-10-16T04:00:00Z', 'reminder:0.8': '2025-10-24T04:00:00Z' },
    };
    expect(dueTimerEvents(sufe, reminded, new Date('2025-10-30T15:59:59Z'))).toEqual([]);
    expect(dueTimerEvents(sufe, reminded, new Date('2025-10-30T16:00:00Z'))).toEqual([
      { kind: 'breach', type: 'breach', dueDate: '2025-10-30' },
    ]);
  });

  it('sends only the latest of two reminders due at once, recording the earlier as superseded', () => {
    expect(dueTimerEvents(sufe, record, noonInShanghai('2025-10-27'))).toEqual([
      expect.objectContaining({ kind: 'reminder:0.5', superseded: true }),
      expect.objectContaining({ kind: 'reminder:0.8', superseded: false }),
    ]);
  });

  it('sends no reminder once the due date has passed: the breach says it', () => {
    expect(dueTimerEvents(sufe, record, noonInShanghai('2025-11-03')).map((event) => event.kind)).toEqual([
      'breach',
    ]);
  });

  it('does nothing while the clock stands still awaiting the requester', () => {
    const paused = {
      ...record,
      status: 'awaiting-requester' as const,
      pausedSince: '2025-10-10' as PlainDate,
    };
    expect(dueTimerEvents(sufe, paused, noonInShanghai('2025-11-03'))).toEqual([]);
  });

  it.each<RequestStatus>(['fulfilled', 'refused', 'cancelled', 'expired-unverified', 'partially-fulfilled'])(
    'does nothing for a request that is %s',
    (status) => {
      expect(dueTimerEvents(sufe, { ...record, status }, noonInShanghai('2025-11-03'))).toEqual([]);
    },
  );

  it('has nothing due on a verification-start clock that has not started', () => {
    const caftrade = getPolicy('caftrade');
    const waiting = openRecord(caftrade, '2025-09-26T02:00:00Z', { status: 'pending-verification' });
    expect(dueTimerEvents(caftrade, waiting, noonInShanghai('2026-03-01'))).toEqual([]);
  });

  it('reminds on a year without an official calendar too, counting on the statutory baseline', () => {
    const farOff = {
      ...record,
      deadline: {
        ...record.deadline,
        dueDate: '2099-12-30' as PlainDate,
        reminders: [{ fraction: 0.5, date: '2099-01-05' as PlainDate }],
      },
    };
    // Tuesday 6 January 2099: a working day on the baseline.
    expect(dueTimerEvents(sufe, farOff, new Date('2099-01-06T04:00:00Z'))).toMatchObject([
      { type: 'reminder' },
    ]);
  });
});

describe('acknowledgement of a ccpa request', () => {
  // Received Thursday 20 November 2025 in Los Angeles; 10 business days skip Thanksgiving: 5 December.
  const record = openRecord(ccpa, '2025-11-20T18:00:00Z', { status: 'pending-verification' });
  const at = (date: string) => new Date(`${date}T20:00:00Z`);

  it('is not due while more than three business days are left', () => {
    expect(record.deadline.acknowledgeBy).toBe('2025-12-05');
    expect(dueTimerEvents(ccpa, record, at('2025-12-01'))).toEqual([]);
  });

  it('is due from the third business day before the last day', () => {
    expect(dueTimerEvents(ccpa, record, at('2025-12-02'))).toEqual([
      { kind: ACKNOWLEDGEMENT_KIND, type: 'acknowledgement', acknowledgeBy: '2025-12-05', late: false },
    ]);
  });

  it('waits for a business day: nothing on a Saturday', () => {
    expect(dueTimerEvents(ccpa, record, at('2025-12-06'))).toEqual([]);
    expect(dueTimerEvents(ccpa, record, at('2025-12-08'))).toEqual([
      expect.objectContaining({ kind: ACKNOWLEDGEMENT_KIND, late: true }),
    ]);
  });

  it('is never due again once recorded', () => {
    const acknowledged = { ...record, remindersSent: { [ACKNOWLEDGEMENT_KIND]: '2025-11-21T18:00:00Z' } };
    expect(dueTimerEvents(ccpa, acknowledged, at('2025-12-04'))).toEqual([]);
  });

  it('is due even while the reply clock would be paused', () => {
    const paused = { ...record, pausedSince: '2025-11-25' as PlainDate };
    expect(dueTimerEvents(ccpa, paused, at('2025-12-03')).map((event) => event.kind)).toEqual([
      ACKNOWLEDGEMENT_KIND,
    ]);
  });
});

describe('explanation of a qianxin postponement', () => {
  const receivedOn = '2025-09-26' as PlainDate;
  const postponedOn = '2025-10-20' as PlainDate;
  const deadline = computeDeadline({ policy: qianxin, receivedOn, postponedOn });
  const postponed: TimerRecord = { status: 'extended', deadline, postponedOn };

  it('is owed only once the request is postponed', () => {
    const notPostponed = openRecord(qianxin, '2025-09-26T02:00:00Z');
    const kinds = runDaily(qianxin, notPostponed, '2025-09-26', 30).map(({ event }) => event.kind);
    expect(kinds.filter((kind) => kind.startsWith('explanation'))).toEqual([]);
  });

  it('reminds the handler again over the extended period, under kinds of their own', () => {
    const reminded = {
      ...postponed,
      remindersSent: { 'reminder:0.5': '2025-10-14T04:00:00Z', 'reminder:0.8': '2025-10-20T04:00:00Z' },
    };
    expect(deadline.reminders).toEqual([
      { fraction: 0.5, date: '2025-10-23' },
      { fraction: 0.8, date: '2025-11-05' },
    ]);
    expect(dueTimerEvents(qianxin, reminded, noonInShanghai('2025-10-23'))).toContainEqual(
      expect.objectContaining({ kind: 'reminder:0.5:extended', dueDate: '2025-11-13' }),
    );
  });

  it('reminds before the explanation date and alerts once it has passed, until it is confirmed', () => {
    expect(deadline.explanationDueDate).toBe('2025-10-23');
    expect(dueTimerEvents(qianxin, postponed, noonInShanghai('2025-10-21'))).toContainEqual(
      expect.objectContaining({ kind: EXPLANATION_DUE_KIND, overdue: false }),
    );
    expect(dueTimerEvents(qianxin, postponed, noonInShanghai('2025-10-24'))).toContainEqual(
      expect.objectContaining({ kind: EXPLANATION_OVERDUE_KIND, overdue: true }),
    );
    const given = { ...postponed, remindersSent: { [EXPLANATION_GIVEN_KIND]: '2025-10-20T03:00:00Z' } };
    const kinds = dueTimerEvents(qianxin, given, noonInShanghai('2025-10-24')).map((event) => event.kind);
    expect(kinds.filter((kind) => kind.startsWith('explanation'))).toEqual([]);
  });
});

describe('timer properties over every policy', () => {
  const policies = listPolicies();
  const receipt = fc.record({
    policy: fc.constantFrom(...policies),
    // Receipt days whose whole period (extension included) lies in years with official data (2024-2026).
    day: fc.integer({ min: 0, max: 365 }),
    minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
    sweepHour: fc.integer({ min: 0, max: 5 }),
  });

  function scenario(input: { policy: PolicyProfile; day: number; minute: number; sweepHour: number }) {
    const receivedAt = new Date(
      Date.parse('2025-01-02T00:00:00Z') + input.day * 86_400_000 + input.minute * 60_000,
    );
    const receivedOn = plainDateInZone(receivedAt, input.policy.timeZone);
    const record = openRecord(input.policy, receivedAt.toISOString(), {
      ...(input.policy.clock.start === 'verification' && {
        deadline: computeDeadline({ policy: input.policy, receivedOn, verifiedOn: addDays(receivedOn, 1) }),
      }),
    });
    // Every six hours (the sweep runs every minute; four a day reach every local date despite DST).
    const from = new Date(receivedAt.getTime() + input.sweepHour * 3_600_000);
    return { record, fired: runEvery(input.policy, record, from, 4 * 140, 6) };
  }

  it('never fires two events of the same kind', () => {
    fc.assert(
      fc.property(receipt, (input) => {
        const kinds = scenario(input).fired.map(({ event }) => event.kind);
        expect(new Set(kinds).size).toBe(kinds.length);
      }),
      { numRuns: 60 },
    );
  });

  it('never reminds on a rest day of a working-day policy', () => {
    fc.assert(
      fc.property(
        receipt.filter(({ policy }) => policy.clock.unit === 'working-days'),
        (input) => {
          const calendar = getCalendar(input.policy.clock.calendar!);
          for (const { day, event } of scenario(input).fired) {
            if (event.type === 'reminder') expect(calendar.isWorkingDay(day)).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never marks a breach on or before the due date, and always marks it after', () => {
    fc.assert(
      fc.property(receipt, (input) => {
        const { record, fired } = scenario(input);
        const breaches = fired.filter(({ event }) => event.type === 'breach');
        expect(breaches).toHaveLength(1);
        for (const { day, event } of breaches) {
          expect(event.type === 'breach' && day > event.dueDate).toBe(true);
          expect(day).toBe(addDays(record.deadline.dueDate!, 1));
        }
      }),
      { numRuns: 60 },
    );
  });
});
