/**
 * The clock of a stored request: the deadline engine applied to what the
 * record says (received when, verified when, extended, paused). Recomputed on
 * every change that affects it, so the stored due date is never stale.
 */
import { CalendarDataMissing, type PlainDate } from './clock';
import { computeDeadline, type DeadlineResult, receivedOnFor } from './deadline';
import type { PolicyProfile } from './policy/schema';

export interface ClockFacts {
  /** ISO-8601 instant of receipt. */
  readonly receivedAt: string;
  readonly verifiedOn?: PlainDate;
  readonly extended: boolean;
  readonly pausedUnits: number;
}

export type RequestClock =
  | { readonly deadline: DeadlineResult; readonly calendarDataMissingYear?: undefined }
  /**
   * A year with no official calendar data: the request must still be stored
   * (never lost), with no due date, and an operator alarm raised.
   */
  | { readonly deadline: DeadlineResult; readonly calendarDataMissingYear: number };

export function requestClock(policy: PolicyProfile, facts: ClockFacts): RequestClock {
  const receivedOn = receivedOnFor(policy, new Date(facts.receivedAt));
  try {
    return {
      deadline: computeDeadline({
        policy,
        receivedOn,
        ...(facts.verifiedOn ? { verifiedOn: facts.verifiedOn } : {}),
        extended: facts.extended,
        pausedUnits: facts.pausedUnits,
      }),
    };
  } catch (error) {
    if (!(error instanceof CalendarDataMissing)) throw error;
    return {
      deadline: {
        policy: policy.id,
        clockStart: policy.clock.start,
        startDate: null,
        unit: policy.clock.unit,
        length: policy.clock.length,
        dueDate: null,
        rolledForward: false,
        reminders: [],
      },
      calendarDataMissingYear: error.year,
    };
  }
}
