/**
 * The clock of a stored request: the deadline engine applied to what the
 * record says (received when, verified when, extended, paused). Recomputed on
 * every change that affects it, so the stored due date is never stale; and
 * recomputed by the sweeper when an imported notice makes a provisional year
 * official (domain/timers/provisional-recompute.ts).
 */
import type { CalendarSet, PlainDate } from './clock';
import { computeDeadline, type DeadlineResult, receivedOnFor } from './deadline';
import type { PolicyProfile } from './policy/schema';

export interface ClockFacts {
  /** ISO-8601 instant of receipt. */
  readonly receivedAt: string;
  readonly verifiedOn?: PlainDate;
  readonly extended: boolean;
  readonly pausedUnits: number;
}

export interface RequestClock {
  readonly deadline: DeadlineResult;
}

export function requestClock(
  policy: PolicyProfile,
  facts: ClockFacts,
  calendars?: CalendarSet,
): RequestClock {
  return {
    deadline: computeDeadline({
      policy,
      receivedOn: receivedOnFor(policy, new Date(facts.receivedAt)),
      ...(facts.verifiedOn ? { verifiedOn: facts.verifiedOn } : {}),
      extended: facts.extended,
      pausedUnits: facts.pausedUnits,
      ...(calendars ? { calendars } : {}),
    }),
  };
}
