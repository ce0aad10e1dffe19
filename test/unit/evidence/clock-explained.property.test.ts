import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  compareDates,
  daysBetween,
  PACKAGED_CALENDARS,
  parsePlainDate,
} from '../../../domain/clock';
import { receivedOnFor } from '../../../domain/deadline';
import { explainClock } from '../../../domain/evidence/clock-explained';
import { listPolicies } from '../../../domain/policy/registry';
import type { PolicyProfile } from '../../../domain/policy/schema';
import { requestClock } from '../../../domain/request-clock';

// Receipts from 2024 to 2031: official years and, for China beyond its last notice, provisional ones.
const FIRST = parsePlainDate('2024-01-01');
const instants = fc
  .record({ day: fc.integer({ min: 0, max: 2900 }), minute: fc.integer({ min: 0, max: 24 * 60 - 1 }) })
  .map(({ day, minute }) =>
    new Date(Date.parse(`${addDays(FIRST, day)}T00:00:00Z`) + minute * 60_000).toISOString(),
  );

const cases = fc
  .record({
    policy: fc.constantFrom(...listPolicies()),
    receivedAt: instants,
    verifyAfter: fc.integer({ min: 0, max: 20 }),
    extend: fc.boolean(),
    paused: fc.integer({ min: 0, max: 12 }),
  })
  .map(({ policy, receivedAt, verifyAfter, extend, paused }) => {
    const verifiedOn =
      policy.clock.start === 'verification'
        ? addDays(receivedOnFor(policy, new Date(receivedAt)), verifyAfter)
        : undefined;
    return {
      policy,
      facts: {
        receivedAt,
        ...(verifiedOn ? { verifiedOn } : {}),
        extended: extend && policy.extension !== undefined,
        pausedUnits: policy.pause.allowed ? paused : 0,
      },
    };
  });

function explained(policy: PolicyProfile, facts: Parameters<typeof requestClock>[1]) {
  const { deadline } = requestClock(policy, facts, PACKAGED_CALENDARS);
  return {
    deadline,
    clock: explainClock({
      policy,
      facts: { ...facts, storedDeadline: deadline },
      calendars: PACKAGED_CALENDARS,
    }),
  };
}

describe('explainClock properties', () => {
  it('arrives at the engine’s due date, counting exactly the period’s units and ending on the strict due date', () => {
    fc.assert(
      fc.property(cases, ({ policy, facts }) => {
        const { deadline, clock } = explained(policy, facts);
        expect(clock.dueDate).toBe(deadline.dueDate);
        expect(clock.matchesStoredDueDate).toBe(true);
        const strictDue = deadline.strictDueDate ?? deadline.dueDate;
        expect(clock.strictDueDate).toBe(strictDue);
        expect(clock.countedDays.at(-1)).toBe(strictDue);
        const start = deadline.startDate!;
        if (policy.clock.unit === 'months') {
          expect(clock.countedDays).toHaveLength(daysBetween(start, strictDue!));
        } else {
          const extension = facts.extended ? (policy.extension?.length ?? 0) : 0;
          expect(clock.totalUnits).toBe(policy.clock.length + extension + facts.pausedUnits);
          expect(clock.countedDays).toHaveLength(clock.totalUnits);
        }
        expect(compareDates(clock.countedDays[0]!, start)).toBeGreaterThan(0);
      }),
    );
  });

  it('counts only working days on working-day clocks, skipping every holiday and counting every make-up day', () => {
    const workingDay = listPolicies().filter((policy) => policy.clock.unit === 'working-days');
    fc.assert(
      fc.property(fc.constantFrom(...workingDay), instants, (policy, receivedAt) => {
        const { clock } = explained(policy, { receivedAt, extended: false, pausedUnits: 0 });
        const calendar = PACKAGED_CALENDARS.get(policy.clock.calendar!);
        expect(clock.countedDays.every((date) => calendar.isWorkingDay(date))).toBe(true);
        const counted = new Set(clock.countedDays);
        for (const holiday of clock.holidays) expect(counted.has(holiday.date)).toBe(false);
        for (const day of clock.makeUpWorkdays) expect(counted.has(day.date)).toBe(true);
        // Every day between start and strict due date is either counted or a rest day listed.
        const inPeriod = daysBetween(clock.start.day!, clock.strictDueDate!);
        const restInPeriod =
          clock.weekendDaysSkipped +
          clock.holidays.filter((holiday) => compareDates(holiday.date, clock.strictDueDate!) <= 0).length;
        expect(clock.countedDays.length + restInPeriod).toBe(inPeriod);
      }),
    );
  });

  it('names the source of every year counted, and flags the provisional ones', () => {
    fc.assert(
      fc.property(cases, ({ policy, facts }) => {
        if (policy.clock.calendar === undefined) return;
        const { clock } = explained(policy, facts);
        const years = clock.calendar!.years;
        for (const date of [clock.start.day!, ...clock.countedDays]) {
          expect(years.map((year) => year.year)).toContain(Number(date.slice(0, 4)));
        }
        for (const year of years) expect(year.source.url).toMatch(/^https?:\/\//);
        for (const provisional of clock.provisionalYears) {
          expect(years.find((year) => year.year === provisional)?.official).toBe(false);
        }
      }),
    );
  });
});
