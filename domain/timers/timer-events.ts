/**
 * Which reply-timer events are due for a stored request as of `now`: the
 * handler's reminders at the policy's fractions of the period, the breach once
 * the due date has passed, the acknowledgement of receipt (policies with
 * `acknowledgement`) and the explanation of a postponement (policies with
 * `explanation`). Pure: `now` comes in as an argument, and every date is the
 * one the deadline engine stored on the request (`record.deadline`, recomputed
 * on every change), read against "today" in the policy's time zone.
 *
 * Each event has a kind; a kind already in `remindersSent` (or, for the
 * breach, a recorded `breach`) is never due again, which is what makes the
 * sweep idempotent once the sweeper has recorded what it sent.
 *
 * A working-day policy never reminds anyone on a rest day: a reminder whose
 * date has come waits for the next working day of the policy's calendar. The
 * breach does not wait: it is a fact from the first day after the due date.
 * A year without an official calendar is counted on the provisional baseline
 * (see domain/clock/calendars/cn-statutory.ts), so no request is ever skipped.
 */
import {
  type CalendarId,
  type CalendarSet,
  compareDates,
  daysBetween,
  getCalendar,
  PACKAGED_CALENDARS,
  type PlainDate,
  plainDateInZone,
  workingDaysBetween,
} from '../clock';
import { isOpen } from '../lifecycle';
import type { PolicyPeriod, PolicyProfile } from '../policy/schema';
import type { RequestRecord } from '../request-record';

/**
 * The acknowledgement is sent once at most this many of its units (working
 * days on the CCPA's business-day clock) are left. Not at once: most requests
 * are verified and answered well within the period, and the answer itself
 * confirms receipt; the verification mail sent at intake does not say when a
 * reply is due (Cal. Code Regs. tit. 11 §7021(a) asks for that), so it is not
 * the acknowledgement.
 */
export const ACKNOWLEDGEMENT_LEAD_UNITS = 3;

/** Kinds recorded in `remindersSent` that are not reminders of the reply period. */
export const ACKNOWLEDGEMENT_KIND = 'acknowledgement';
/** The explanation of a postponement is known to have reached the requester (or been passed on). */
export const EXPLANATION_GIVEN_KIND = 'explanation';
export const EXPLANATION_DUE_KIND = 'explanation-due';
export const EXPLANATION_OVERDUE_KIND = 'explanation-overdue';

/**
 * `reminder:<fraction>`, and `reminder:<fraction>:extended` for the reminders of an extended period,
 * which the deadline engine places anew over the whole longer period: the handler is reminded again.
 */
export function reminderKind(fraction: number, extended = false): string {
  return extended ? `reminder:${fraction}:extended` : `reminder:${fraction}`;
}

export type TimerEvent =
  | {
      readonly kind: string;
      readonly type: 'reminder';
      readonly fraction: number;
      /** The day the reminder became due (a working day on working-day clocks). */
      readonly remindOn: PlainDate;
      readonly dueDate: PlainDate;
      /**
       * A later reminder is due too (the sweep did not run in between): record this one as sent
       * but mail only the latest, so nobody gets two reminders of one request in one minute.
       */
      readonly superseded: boolean;
    }
  | { readonly kind: 'breach'; readonly type: 'breach'; readonly dueDate: PlainDate }
  | {
      readonly kind: typeof ACKNOWLEDGEMENT_KIND;
      readonly type: 'acknowledgement';
      readonly acknowledgeBy: PlainDate;
      /** The last day to acknowledge has already passed. */
      readonly late: boolean;
    }
  | {
      readonly kind: typeof EXPLANATION_DUE_KIND | typeof EXPLANATION_OVERDUE_KIND;
      readonly type: 'explanation';
      readonly explanationDueDate: PlainDate;
      readonly overdue: boolean;
    };

export type TimerRecord = Pick<
  RequestRecord,
  'status' | 'deadline' | 'pausedSince' | 'postponedOn' | 'remindersSent' | 'breach'
>;

/** Whether `date` is a day people are reminded on: any day, or a working day of `calendar`. */
function isReminderDay(calendars: CalendarSet, calendar: CalendarId | undefined, date: PlainDate): boolean {
  return calendar === undefined || getCalendar(calendar, calendars).isWorkingDay(date);
}

/** Units of `period` left from `today` (excluded) to `last` (included); 0 once `last` has passed. */
function unitsLeft(calendars: CalendarSet, period: PolicyPeriod, today: PlainDate, last: PlainDate): number {
  if (compareDates(today, last) >= 0) return 0;
  if (period.unit === 'working-days' && period.calendar !== undefined) {
    return workingDaysBetween(getCalendar(period.calendar, calendars), today, last);
  }
  return daysBetween(today, last);
}

/** The calendar whose rest days a period's notices avoid (working-day periods only). */
function restDayCalendar(period: {
  unit: string;
  calendar?: CalendarId | undefined;
}): CalendarId | undefined {
  return period.unit === 'working-days' ? period.calendar : undefined;
}

function reminderEvents(
  calendars: CalendarSet,
  policy: PolicyProfile,
  record: TimerRecord,
  today: PlainDate,
): TimerEvent[] {
  const { dueDate, reminders } = record.deadline;
  // No reminder after the due date: the breach says more, and says it once.
  if (dueDate === null || compareDates(today, dueDate) > 0) return [];
  const sent = record.remindersSent ?? {};
  const extended = record.deadline.extension !== undefined;
  const due = reminders.filter(
    (reminder) =>
      compareDates(reminder.date, today) <= 0 &&
      sent[reminderKind(reminder.fraction, extended)] === undefined,
  );
  if (due.length === 0 || !isReminderDay(calendars, restDayCalendar(policy.clock), today)) return [];
  return due.map((reminder, index) => ({
    kind: reminderKind(reminder.fraction, extended),
    type: 'reminder',
    fraction: reminder.fraction,
    remindOn: reminder.date,
    dueDate,
    superseded: index < due.length - 1,
  }));
}

function breachEvents(record: TimerRecord, today: PlainDate): TimerEvent[] {
  const { dueDate } = record.deadline;
  if (dueDate === null || record.breach !== undefined || compareDates(today, dueDate) <= 0) return [];
  return [{ kind: 'breach', type: 'breach', dueDate }];
}

function acknowledgementEvents(
  calendars: CalendarSet,
  policy: PolicyProfile,
  record: TimerRecord,
  today: PlainDate,
): TimerEvent[] {
  const { acknowledgement } = policy;
  const { acknowledgeBy } = record.deadline;
  if (acknowledgement === undefined || acknowledgeBy === undefined) return [];
  if (record.remindersSent?.[ACKNOWLEDGEMENT_KIND] !== undefined) return [];
  if (unitsLeft(calendars, acknowledgement, today, acknowledgeBy) > ACKNOWLEDGEMENT_LEAD_UNITS) return [];
  if (!isReminderDay(calendars, restDayCalendar(acknowledgement), today)) return [];
  return [
    {
      kind: ACKNOWLEDGEMENT_KIND,
      type: 'acknowledgement',
      acknowledgeBy,
      late: compareDates(today, acknowledgeBy) > 0,
    },
  ];
}

/**
 * The explanation is owed only once the request is postponed (the profile's
 * `trigger: postponement`); the postponement notice carries it, so it is
 * usually given at once and the sweeper only confirms that. Until it is
 * confirmed, the handler is reminded (on a working day) while it can still
 * be given in time, and supervisors are alerted once it is overdue.
 */
function explanationEvents(
  calendars: CalendarSet,
  policy: PolicyProfile,
  record: TimerRecord,
  today: PlainDate,
): TimerEvent[] {
  const { explanation } = policy;
  const { explanationDueDate } = record.deadline;
  if (explanation === undefined || explanationDueDate === undefined || record.postponedOn === undefined) {
    return [];
  }
  const sent = record.remindersSent ?? {};
  if (sent[EXPLANATION_GIVEN_KIND] !== undefined) return [];
  if (compareDates(today, explanationDueDate) > 0) {
    if (sent[EXPLANATION_OVERDUE_KIND] !== undefined) return [];
    return [{ kind: EXPLANATION_OVERDUE_KIND, type: 'explanation', explanationDueDate, overdue: true }];
  }
  if (
    sent[EXPLANATION_DUE_KIND] !== undefined ||
    !isReminderDay(calendars, restDayCalendar(explanation), today)
  )
    return [];
  return [{ kind: EXPLANATION_DUE_KIND, type: 'explanation', explanationDueDate, overdue: false }];
}

/** The timer events due for `record` under `policy` at `now`, none of a kind already recorded. */
export function dueTimerEvents(
  policy: PolicyProfile,
  record: TimerRecord,
  now: Date,
  calendars: CalendarSet = PACKAGED_CALENDARS,
): TimerEvent[] {
  if (!isOpen(record.status)) return [];
  const today = plainDateInZone(now, policy.timeZone);
  const acknowledgement = acknowledgementEvents(calendars, policy, record, today);
  // While the clock stands still (awaiting the requester) its due date will move: nothing of the reply
  // period is due. Receipt is acknowledged regardless: that period never pauses.
  if (record.pausedSince !== undefined) return acknowledgement;
  return [
    ...reminderEvents(calendars, policy, record, today),
    ...breachEvents(record, today),
    ...acknowledgement,
    ...explanationEvents(calendars, policy, record, today),
  ];
}
