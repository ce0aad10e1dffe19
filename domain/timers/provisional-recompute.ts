/**
 * A provisional deadline made official: when a request's stored deadline was counted on the statutory
 * baseline for a year whose official notice has since been imported, the sweeper recomputes it from the
 * same facts (receipt, verification, extension with its notice day, paused units) on the calendars as
 * they now are, puts a `deadline-recomputed` event on the trail, and tells the requester when the due
 * date moved. Pure: the calendars and `now` come in as arguments.
 *
 * The baseline never gives a date later than the official one, so the official date is the same or
 * later: a recompute never shortens the time the requester was told we have. A clock that stands still
 * (awaiting the requester) is recomputed with the units paused so far, as stored; the pause's own units
 * are added when it ends, on the calendars of that day.
 */
import type { AuditEventBody } from '../audit';
import { canonicalJson } from '../canonical-json';
import type { CalendarId, CalendarSet, PlainDate } from '../clock';
import { computeDeadline, type DeadlineResult, receivedOnFor } from '../deadline';
import type { PolicyProfile } from '../policy/schema';
import type { RequestRecord } from '../request-record';
import { SWEEPER } from './timer-actions';

/** The calendars a policy counts on: its clock's, and those of its acknowledgement and explanation periods. */
function policyCalendars(policy: PolicyProfile): CalendarId[] {
  const ids = [policy.clock.calendar, policy.acknowledgement?.calendar, policy.explanation?.calendar];
  return [...new Set(ids.filter((id): id is CalendarId => id !== undefined))];
}

/** The years `deadline` was provisional on that now have official data in one of the policy's calendars. */
export function yearsNowOfficial(
  policy: PolicyProfile,
  deadline: DeadlineResult,
  calendars: CalendarSet,
): number[] {
  const years = deadline.provisionalYears ?? [];
  const ids = policyCalendars(policy);
  return years.filter((year) => ids.some((id) => calendars.get(id).isOfficial(year)));
}

/** Cheap test on the (possibly stale) index copy: is there anything to recompute? */
export function needsRecompute(
  policy: PolicyProfile,
  record: RequestRecord,
  calendars: CalendarSet,
): boolean {
  return (
    record.deadline.provisional === true && yearsNowOfficial(policy, record.deadline, calendars).length > 0
  );
}

/** The request's deadline from its stored facts, on `calendars`. */
export function deadlineFromFacts(
  policy: PolicyProfile,
  record: RequestRecord,
  calendars: CalendarSet,
): DeadlineResult {
  return computeDeadline({
    policy,
    receivedOn: receivedOnFor(policy, new Date(record.receivedAt)),
    ...(record.verifiedOn ? { verifiedOn: record.verifiedOn } : {}),
    extended: record.extended,
    // The day the requester was told of the extension: without it the engine could not check, nor
    // report, the notice deadline the postponement met.
    ...(record.postponedOn ? { postponedOn: record.postponedOn } : {}),
    pausedUnits: record.pausedUnits,
    calendars,
  });
}

export interface ProvisionalRecompute {
  /** The record with the recomputed deadline (every other field as it was). */
  readonly next: RequestRecord;
  /** The `deadline-recomputed` event for the trail. */
  readonly event: AuditEventBody;
  /** The due date moved: the requester was given the old one and must be told the new one. */
  readonly dueDateMoved: boolean;
  readonly dueDateBefore: PlainDate | null;
  readonly dueDate: PlainDate | null;
}

/**
 * What to write for `record` when a provisional year of its deadline is now official in `calendars`;
 * undefined when there is nothing to do (no such year, or the recompute gives the stored deadline).
 */
export function planProvisionalRecompute(input: {
  readonly policy: PolicyProfile;
  readonly record: RequestRecord;
  readonly calendars: CalendarSet;
  readonly now: Date;
}): ProvisionalRecompute | undefined {
  const { policy, record, calendars, now } = input;
  if (!needsRecompute(policy, record, calendars)) return undefined;
  const before = record.deadline;
  const deadline = deadlineFromFacts(policy, record, calendars);
  // Canonical: a record read back from DynamoDB need not keep the keys in the order they were written.
  if (canonicalJson(deadline) === canonicalJson(before)) return undefined;
  const madeOfficial = yearsNowOfficial(policy, before, calendars);
  const sources = madeOfficial.flatMap((year) =>
    policyCalendars(policy)
      .map((id) => calendars.get(id))
      .filter((calendar) => calendar.isOfficial(year))
      .map((calendar) => {
        const source = calendar.sourceFor(year);
        return {
          calendar: calendar.id,
          year,
          ...(source.documentNumber !== undefined ? { documentNumber: source.documentNumber } : {}),
          title: source.title,
        };
      }),
  );
  const dueDateMoved = deadline.dueDate !== before.dueDate;
  const event: AuditEventBody = {
    type: 'deadline-recomputed',
    actor: SWEEPER,
    at: now.toISOString(),
    details: {
      reason: 'official-calendar-imported',
      dueDateBefore: before.dueDate,
      dueDate: deadline.dueDate,
      provisionalYearsBefore: before.provisionalYears ?? [],
      provisionalYears: deadline.provisionalYears ?? [],
      sources,
      ...(before.acknowledgeBy !== deadline.acknowledgeBy
        ? { acknowledgeByBefore: before.acknowledgeBy ?? null, acknowledgeBy: deadline.acknowledgeBy ?? null }
        : {}),
      requesterToBeTold: dueDateMoved,
    },
  };
  return {
    next: { ...record, deadline },
    event,
    dueDateMoved,
    dueDateBefore: before.dueDate,
    dueDate: deadline.dueDate,
  };
}
