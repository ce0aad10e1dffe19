/**
 * Waiting on the requester: asking for more information stops the reply
 * clock where the policy allows it, and the answer restarts it with the
 * stopped days added. The clock stands still from the day after it stopped
 * to the day it restarts, both counted by the deadline engine's rule (start
 * day excluded, end day included), so a pause of n working days moves a
 * working-day due date by exactly n working days.
 */
import type { AuditEventBody } from '../audit';
import { type CalendarSet, compareDates, type PlainDate } from '../clock';
import { unitsBetween } from '../deadline';
import { type Actor, planTransition, type RequestStatus } from '../lifecycle';
import type { PolicyProfile } from '../policy/schema';
import { type RequestClock, requestClock } from '../request-clock';
import type { RequestRecord } from '../request-record';
import type { ActionContext, RecordChange } from './action';
import { NotAwaitingRequester } from './errors';

/** Whether asking the requester now stops the clock: the policy allows it and the clock is running. */
export function pauseStopsClock(record: RequestRecord, policy: PolicyProfile): boolean {
  return policy.pause.allowed && record.deadline.startDate !== null;
}

/** Paused units after a pause from `record.pausedSince` to `today`, and the clock they give. */
export function clockAfterPause(
  record: RequestRecord,
  policy: PolicyProfile,
  today: PlainDate,
  calendars?: CalendarSet,
): RequestClock & { readonly pausedUnits: number; readonly unitsAdded: number } {
  const since = record.pausedSince;
  // A resume dated before the pause (clock skew between writers) adds nothing rather than shortening the period.
  const unitsAdded =
    since === undefined || compareDates(today, since) <= 0
      ? 0
      : unitsBetween(policy, since, today, calendars);
  const pausedUnits = record.pausedUnits + unitsAdded;
  const clock = requestClock(
    policy,
    {
      receivedAt: record.receivedAt,
      ...(record.verifiedOn ? { verifiedOn: record.verifiedOn } : {}),
      extended: record.extended,
      pausedUnits,
    },
    calendars,
  );
  return { ...clock, pausedUnits, unitsAdded };
}

/** The record without the fields that exist only while waiting on the requester. */
export function withoutPause(record: RequestRecord): RequestRecord {
  const { pausedSince: _since, resumeTo: _resumeTo, ...rest } = record;
  return rest;
}

/** The status to return to: where work stood when the requester was asked. */
function resumeStatus(record: RequestRecord): RequestStatus {
  if (record.resumeTo) return record.resumeTo;
  return record.verifiedOn ? 'verified' : 'pending-verification';
}

/**
 * Ends a pause on `today`: the stopped units are added and the deadline
 * recomputed. Returns the record (status unchanged) and the clock-resumed
 * event; callers add their own status change.
 */
export function endPause(
  record: RequestRecord,
  policy: PolicyProfile,
  actor: Actor,
  at: string,
  today: PlainDate,
  calendars?: CalendarSet,
): {
  readonly record: RequestRecord;
  readonly events: AuditEventBody[];
} {
  if (record.pausedSince === undefined) return { record: withoutPause(record), events: [] };
  const clock = clockAfterPause(record, policy, today, calendars);
  const events: AuditEventBody[] = [
    {
      type: 'clock-resumed',
      actor,
      at,
      details: {
        pausedSince: record.pausedSince,
        resumedOn: today,
        unitsAdded: clock.unitsAdded,
        pausedUnits: clock.pausedUnits,
        dueDateBefore: record.deadline.dueDate,
        dueDate: clock.deadline.dueDate,
        ...(clock.deadline.provisionalYears ? { provisionalYears: clock.deadline.provisionalYears } : {}),
      },
    },
  ];
  return {
    record: { ...withoutPause(record), pausedUnits: clock.pausedUnits, deadline: clock.deadline },
    events,
  };
}

/**
 * Asks the requester for more information: status awaiting-requester, and the
 * clock stopped on `today` where the policy allows (policies whose clock never
 * stops keep counting; the answer says so).
 */
export function askRequester(
  record: RequestRecord,
  policy: PolicyProfile,
  context: ActionContext,
): RecordChange {
  const { actor, at, today } = context;
  const statusChange = planTransition(record.status, {
    to: 'awaiting-requester',
    actor,
    at,
    reason: 'more information requested from the requester',
  });
  const stops = pauseStopsClock(record, policy);
  const events: AuditEventBody[] = [statusChange];
  if (stops) events.push({ type: 'clock-paused', actor, at, details: { since: today } });
  return {
    next: {
      ...record,
      status: 'awaiting-requester',
      resumeTo: record.status,
      ...(stops ? { pausedSince: today } : {}),
    },
    events,
  };
}

/** The requester answered: back to where work stood, with the stopped days added to the clock. */
export function resumeRequest(
  record: RequestRecord,
  policy: PolicyProfile,
  context: ActionContext,
): RecordChange {
  const { actor, at, today, calendars } = context;
  if (record.status !== 'awaiting-requester') throw new NotAwaitingRequester(record.status);
  const to = resumeStatus(record);
  const statusChange = planTransition(record.status, { to, actor, at, reason: 'the requester answered' });
  const ended = endPause(record, policy, actor, at, today, calendars);
  return { next: { ...ended.record, status: to }, events: [statusChange, ...ended.events] };
}
