import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, compareDates, getCalendar, type PlainDate, parsePlainDate } from '../../../domain/clock';
import { computeDeadline, type DeadlineInput, unitsBetween } from '../../../domain/deadline';
import { listPolicies } from '../../../domain/policy/registry';
import type { PolicyProfile } from '../../../domain/policy/schema';

// Every calendar holds official data for 2024-2026; requests received up to mid-2026 finish in 2026
// even with the longest extension and pause drawn here.
const FIRST = parsePlainDate('2024-01-01');
const receivedDates = fc.integer({ min: 0, max: 900 }).map((offset) => addDays(FIRST, offset));
const profiles = fc.constantFrom(...listPolicies());

function inputFor(policy: PolicyProfile, receivedOn: PlainDate, verifyAfter: number): DeadlineInput {
  return policy.clock.start === 'verification'
    ? { policy, receivedOn, verifiedOn: addDays(receivedOn, verifyAfter) }
    : { policy, receivedOn };
}

const strictDue = (result: ReturnType<typeof computeDeadline>) => result.strictDueDate ?? result.dueDate;

describe('computeDeadline properties', () => {
  it('puts the due date after the start for every profile', () => {
    fc.assert(
      fc.property(
        profiles,
        receivedDates,
        fc.integer({ min: 0, max: 20 }),
        (policy, receivedOn, verifyAfter) => {
          const result = computeDeadline(inputFor(policy, receivedOn, verifyAfter));
          expect(result.startDate).not.toBeNull();
          expect(compareDates(result.dueDate!, result.startDate!)).toBeGreaterThan(0);
          expect(compareDates(result.dueDate!, strictDue(result)!)).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('ends every working-day period on a working day', () => {
    const workingDayProfiles = listPolicies().filter((policy) => policy.clock.unit === 'working-days');
    fc.assert(
      fc.property(fc.constantFrom(...workingDayProfiles), receivedDates, (policy, receivedOn) => {
        const result = computeDeadline({ policy, receivedOn });
        expect(getCalendar(policy.clock.calendar!).isWorkingDay(result.dueDate!)).toBe(true);
      }),
    );
  });

  it('ends every rolled-forward period on a working day of the profile calendar', () => {
    const rolling = listPolicies().filter((policy) => policy.clock.rollForwardOnRestDay);
    fc.assert(
      fc.property(fc.constantFrom(...rolling), receivedDates, (policy, receivedOn) => {
        const result = computeDeadline(inputFor(policy, receivedOn, 0));
        expect(getCalendar(policy.clock.calendar!).isWorkingDay(result.dueDate!)).toBe(true);
      }),
    );
  });

  it('gives the same due date for a pause of n then m units as for one of n + m', () => {
    const pausable = listPolicies().filter((policy) => policy.pause.allowed);
    fc.assert(
      fc.property(
        fc.constantFrom(...pausable),
        receivedDates,
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 0, max: 15 }),
        (policy, receivedOn, n, m) => {
          const afterN = strictDue(computeDeadline({ policy, receivedOn, pausedUnits: n }))!;
          const afterNM = strictDue(computeDeadline({ policy, receivedOn, pausedUnits: n + m }))!;
          // Pausing m more units moves the end exactly m of the clock's day units further on.
          expect(unitsBetween(policy, afterN, afterNM)).toBe(m);
        },
      ),
    );
  });

  it('never brings a due date forward by extending it, and notifies within the original period', () => {
    const extendable = listPolicies().filter((policy) => policy.extension !== undefined);
    fc.assert(
      fc.property(fc.constantFrom(...extendable), receivedDates, (policy, receivedOn) => {
        const plain = computeDeadline({ policy, receivedOn });
        const extended = computeDeadline({ policy, receivedOn, extended: true });
        expect(compareDates(extended.dueDate!, plain.dueDate!)).toBeGreaterThan(0);
        expect(extended.extension?.originalDueDate).toBe(plain.dueDate);
        expect(extended.extension?.noticeBy).toBe(plain.dueDate);
      }),
    );
  });

  it('keeps reminders in order between the start and the due date', () => {
    fc.assert(
      fc.property(profiles, receivedDates, (policy, receivedOn) => {
        const result = computeDeadline(inputFor(policy, receivedOn, 1));
        const dates = result.reminders.map((reminder) => reminder.date);
        expect(dates).toHaveLength(policy.reminders.length);
        for (const [index, date] of dates.entries()) {
          expect(compareDates(date, result.startDate!)).toBeGreaterThan(0);
          expect(compareDates(date, strictDue(result)!)).toBeLessThanOrEqual(0);
          if (index > 0) expect(compareDates(date, dates[index - 1]!)).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});
