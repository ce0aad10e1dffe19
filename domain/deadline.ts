/**
 * The deadline engine: when a reply to a data subject request is due under a policy profile.
 *
 * Pure: dates come in as arguments (plain dates in the policy's time zone) and the clock is never read.
 * The rules, each applied the same way to the reply, the acknowledgement and the explanation:
 *
 * 1. The start day is not counted (PRC Civil Code art. 201; GDPR and ICO practice agree): a period of
 *    n days received on D ends on D + n.
 * 2. Calendar days add days; working days are counted on the profile's official calendar (the start
 *    day excluded, the n-th working day after it); months go to the same date of the later month,
 *    clamped to its last day (Jan 31 + 1 month = Feb 28).
 * 3. An extension lengthens the same period: its length is added to the original one, so a GDPR
 *    request extended by two months is due three months after receipt, not two months after a
 *    due date that may itself have been clamped or rolled.
 * 4. Paused units lengthen the period by exactly that many units: working days for working-day
 *    clocks, calendar days otherwise (a pause is never a whole number of months).
 * 5. Only then, if the profile says so, a due date on a rest day rolls forward to the next working
 *    day (Civil Code art. 203, ICO practice); both dates are reported.
 * 6. A year without official calendar data is counted on the calendar's provisional baseline, built
 *    from the statutory rules so that the date is never later than the official one will be; the
 *    result says so (`provisional: true`, `provisionalYears`). A deadline is therefore always given.
 */
import {
  addCalendarMonthsClamped,
  addDays,
  addWorkingDays,
  type CalendarId,
  type CalendarSet,
  compareDates,
  daysBetween,
  PACKAGED_CALENDARS,
  type PlainDate,
  plainDateInZone,
  rollForwardToWorkingDay,
  type WorkingCalendar,
  workingDaysBetween,
} from './clock';
import { Conflict, PermanentError } from './errors';
import type { ClockStart, PeriodUnit, PolicyProfile } from './policy/schema';

export interface DeadlineInput {
  policy: PolicyProfile;
  /** Day the request was received, in the policy's time zone (see `receivedOnFor`). */
  receivedOn: PlainDate;
  /** Day the requester's identity was verified; starts the clock of verification-start profiles. */
  verifiedOn?: PlainDate;
  /** The organisation has taken the profile's extension. */
  extended?: boolean;
  /** Day the requester was told of a postponement; implies `extended` and must meet the notice deadline. */
  postponedOn?: PlainDate;
  /** Units the clock stood still while waiting on the requester (see `unitsBetween`). */
  pausedUnits?: number;
  /** The calendars to count on: packaged data plus imported notices. @default PACKAGED_CALENDARS */
  calendars?: CalendarSet;
}

export interface DeadlineResult {
  policy: string;
  clockStart: ClockStart;
  /** The day the clock counts from (not itself counted); null while waiting for verification. */
  startDate: PlainDate | null;
  unit: PeriodUnit;
  length: number;
  calendar?: CalendarId;
  /** Null while waiting for verification on a verification-start profile. */
  dueDate: PlainDate | null;
  pendingOn?: 'verification';
  /** Present only when rolling forward over a rest day moved the due date: the date before the move. */
  strictDueDate?: PlainDate;
  rolledForward: boolean;
  acknowledgeBy?: PlainDate;
  /** Last day to explain a postponement (profiles with an explanation timer). */
  explanationDueDate?: PlainDate;
  extension?: { length: number; unit: PeriodUnit; originalDueDate: PlainDate; noticeBy: PlainDate };
  reminders: { fraction: number; date: PlainDate }[];
  /**
   * Present (true) when a date above was counted on a year without an official calendar: computed on
   * the statutory baseline, never later than the official date will be, and recomputed when the
   * year's notice is imported.
   */
  provisional?: true;
  /** The years without official data that the dates above depend on, ascending. */
  provisionalYears?: number[];
}

/** An extension was asked for under a profile whose source allows none. */
export class ExtensionNotAllowed extends Conflict {
  override name = 'ExtensionNotAllowed' as const;
  readonly code = 'extension-not-allowed';
  readonly policyId: string;

  constructor(policyId: string) {
    super(`Policy '${policyId}' allows no extension of the reply period`);
    this.policyId = policyId;
  }
}

/** A postponement was notified after the last day the profile allows for its notice. */
export class ExtensionNoticeLate extends Conflict {
  override name = 'ExtensionNoticeLate' as const;
  readonly code = 'extension-notice-late';
  readonly policyId: string;
  readonly postponedOn: PlainDate;
  readonly noticeBy: PlainDate;

  constructor(policyId: string, postponedOn: PlainDate, noticeBy: PlainDate) {
    super(
      `Policy '${policyId}' requires notice of an extension by ${noticeBy}; a postponement notified on ${postponedOn} is too late`,
    );
    this.policyId = policyId;
    this.postponedOn = postponedOn;
    this.noticeBy = noticeBy;
  }
}

/** Paused units were given under a profile whose clock never stops. */
export class PauseNotAllowed extends Conflict {
  override name = 'PauseNotAllowed' as const;
  readonly code = 'pause-not-allowed';
  readonly policyId: string;

  constructor(policyId: string) {
    super(`Policy '${policyId}' does not let the clock pause`);
    this.policyId = policyId;
  }
}

/** A paused-unit count that is not a whole number >= 0. */
export class InvalidPausedUnits extends PermanentError {
  override name = 'InvalidPausedUnits' as const;
  readonly code = 'invalid-paused-units';
  readonly pausedUnits: number;

  constructor(pausedUnits: number) {
    super(`Invalid paused units ${pausedUnits}: expected a whole number >= 0`);
    this.pausedUnits = pausedUnits;
  }
}

/** Dates in an order that cannot happen: verified or postponed before the request was received. */
export class DatesOutOfOrder extends PermanentError {
  override name = 'DatesOutOfOrder' as const;
  readonly code = 'dates-out-of-order';

  constructor(what: 'verifiedOn' | 'postponedOn', date: PlainDate, receivedOn: PlainDate) {
    super(`${what} ${date} is before the request was received on ${receivedOn}`);
  }
}

/** Clock status was asked of a deadline whose clock has not started (waiting for verification). */
export class ClockNotStarted extends PermanentError {
  override name = 'ClockNotStarted' as const;
  readonly code = 'clock-not-started';
  readonly policyId: string;

  constructor(policyId: string) {
    super(`The clock of policy '${policyId}' has not started: it waits for identity verification`);
    this.policyId = policyId;
  }
}

interface Counting {
  unit: PeriodUnit;
  calendar?: CalendarId | undefined;
}

/**
 * The calendars one computation consults, recording every provisional year a consulted day depended
 * on: walking day by day, the dates asked are exactly the dates that decide the result.
 */
class ConsultedCalendars {
  readonly provisionalYears = new Set<number>();
  private readonly tracked = new Map<CalendarId, WorkingCalendar>();

  constructor(private readonly calendars: CalendarSet) {}

  get(id: CalendarId): WorkingCalendar {
    const known = this.tracked.get(id);
    if (known !== undefined) return known;
    const inner = this.calendars.get(id);
    const dayStatus = (date: PlainDate) => {
      const status = inner.dayStatus(date);
      if (status.provisionalYear !== undefined) this.provisionalYears.add(status.provisionalYear);
      return status;
    };
    const calendar: WorkingCalendar = {
      ...inner,
      dayStatus,
      isWorkingDay: (date) => dayStatus(date).working,
      restDayName: (date) => dayStatus(date).restDayName,
    };
    this.tracked.set(id, calendar);
    return calendar;
  }

  /** The flags a result carries: nothing when every consulted day was official. */
  flags(): { provisional?: true; provisionalYears?: number[] } {
    if (this.provisionalYears.size === 0) return {};
    return { provisional: true, provisionalYears: [...this.provisionalYears].sort((a, b) => a - b) };
  }
}

function workingCalendar(calendars: ConsultedCalendars, counting: Counting) {
  // The schema makes a calendar mandatory for working-day periods, so its absence is a programming error.
  if (counting.calendar === undefined) throw new TypeError('a working-days period needs a calendar');
  return calendars.get(counting.calendar);
}

/** The end of a period of `length` units counted from `start` (rule 2), the start day not counted. */
function endOfPeriod(
  calendars: ConsultedCalendars,
  counting: Counting,
  start: PlainDate,
  length: number,
): PlainDate {
  switch (counting.unit) {
    case 'calendar-days':
      return addDays(start, length);
    case 'working-days':
      return addWorkingDays(workingCalendar(calendars, counting), start, length);
    case 'months':
      return addCalendarMonthsClamped(start, length);
  }
}

/** Pauses and reminders count whole days: working days on working-day clocks, calendar days otherwise. */
function dayCounting(policy: PolicyProfile): Counting {
  const { unit, calendar } = policy.clock;
  return unit === 'working-days' ? { unit, calendar } : { unit: 'calendar-days' };
}

/** Signed count of day units from `from` to `to`, `from` excluded and `to` included; negative when `to` is earlier. */
function countDays(
  calendars: ConsultedCalendars,
  counting: Counting,
  from: PlainDate,
  to: PlainDate,
): number {
  if (counting.unit !== 'working-days') return daysBetween(from, to);
  const calendar = workingCalendar(calendars, counting);
  return compareDates(to, from) >= 0
    ? workingDaysBetween(calendar, from, to)
    : -workingDaysBetween(calendar, to, from);
}

/** The due date before any roll-forward: rules 2-4. */
function strictEnd(
  calendars: ConsultedCalendars,
  policy: PolicyProfile,
  start: PlainDate,
  length: number,
  pausedUnits: number,
): PlainDate {
  const { clock } = policy;
  if (clock.unit === 'months') return addDays(addCalendarMonthsClamped(start, length), pausedUnits);
  return endOfPeriod(calendars, clock, start, length + pausedUnits);
}

/** Rule 5. */
function rollForward(calendars: ConsultedCalendars, policy: PolicyProfile, date: PlainDate): PlainDate {
  const { clock } = policy;
  if (!clock.rollForwardOnRestDay || clock.calendar === undefined) return date;
  return rollForwardToWorkingDay(calendars.get(clock.calendar), date);
}

/**
 * A reminder at fraction f of the period as computed (extension and pauses included) falls
 * ceil(f × L) day units after the start, where L is the number of day units from the start to the
 * strict due date: working days on working-day clocks, else calendar days, so a month counts its
 * real days. A reminder is thus never before the fraction has elapsed; f = 1 would be the due date.
 */
function reminderDates(
  calendars: ConsultedCalendars,
  policy: PolicyProfile,
  start: PlainDate,
  strictDue: PlainDate,
): DeadlineResult['reminders'] {
  const counting = dayCounting(policy);
  const units = countDays(calendars, counting, start, strictDue);
  return policy.reminders.map((fraction) => {
    // The epsilon keeps 0.1 × 30 = 3.0000000000000004 from becoming 4.
    const offset = Math.ceil(fraction * units - 1e-9);
    return { fraction, date: endOfPeriod(calendars, counting, start, offset) };
  });
}

function checkPausedUnits(policy: PolicyProfile, pausedUnits: number): void {
  if (!Number.isSafeInteger(pausedUnits) || pausedUnits < 0) throw new InvalidPausedUnits(pausedUnits);
  if (pausedUnits > 0 && !policy.pause.allowed) throw new PauseNotAllowed(policy.id);
}

/** When the reply (and any acknowledgement or explanation) is due; see the rules above. */
export function computeDeadline(input: DeadlineInput): DeadlineResult {
  const calendars = new ConsultedCalendars(input.calendars ?? PACKAGED_CALENDARS);
  return { ...computeDates(calendars, input), ...calendars.flags() };
}

function computeDates(calendars: ConsultedCalendars, input: DeadlineInput): DeadlineResult {
  const { policy, receivedOn, verifiedOn, postponedOn } = input;
  const { clock, extension } = policy;
  const pausedUnits = input.pausedUnits ?? 0;
  checkPausedUnits(policy, pausedUnits);
  if (verifiedOn !== undefined && compareDates(verifiedOn, receivedOn) < 0) {
    throw new DatesOutOfOrder('verifiedOn', verifiedOn, receivedOn);
  }
  if (postponedOn !== undefined && compareDates(postponedOn, receivedOn) < 0) {
    throw new DatesOutOfOrder('postponedOn', postponedOn, receivedOn);
  }
  const extended = input.extended === true || postponedOn !== undefined;
  if (extended && extension === undefined) throw new ExtensionNotAllowed(policy.id);

  const startDate = clock.start === 'receipt' ? receivedOn : (verifiedOn ?? null);
  const head = {
    policy: policy.id,
    clockStart: clock.start,
    startDate,
    unit: clock.unit,
    length: clock.length,
    ...(clock.calendar !== undefined && { calendar: clock.calendar }),
  };
  // Acknowledging receipt does not wait for verification: it counts from receipt on every profile.
  const { acknowledgement, explanation } = policy;
  const acknowledgeBy =
    acknowledgement === undefined
      ? undefined
      : endOfPeriod(calendars, acknowledgement, receivedOn, acknowledgement.length);
  if (startDate === null) {
    return {
      ...head,
      dueDate: null,
      pendingOn: 'verification',
      rolledForward: false,
      ...(acknowledgeBy !== undefined && { acknowledgeBy }),
      reminders: [],
    };
  }

  const length = clock.length + (extended && extension !== undefined ? extension.length : 0);
  const strictDue = strictEnd(calendars, policy, startDate, length, pausedUnits);
  const dueDate = rollForward(calendars, policy, strictDue);
  const rolledForward = dueDate !== strictDue;
  const explanationDueDate =
    explanation === undefined
      ? undefined
      : endOfPeriod(calendars, explanation, startDate, explanation.length);
  let extensionResult: DeadlineResult['extension'];
  if (extended && extension !== undefined) {
    const originalDueDate = rollForward(
      calendars,
      policy,
      strictEnd(calendars, policy, startDate, clock.length, pausedUnits),
    );
    // 'within-original-period' is the only notice rule the sources use: notice by the original due date.
    const noticeBy = originalDueDate;
    if (postponedOn !== undefined && compareDates(postponedOn, noticeBy) > 0) {
      throw new ExtensionNoticeLate(policy.id, postponedOn, noticeBy);
    }
    extensionResult = { length: extension.length, unit: extension.unit, originalDueDate, noticeBy };
  }
  return {
    ...head,
    dueDate,
    ...(rolledForward && { strictDueDate: strictDue }),
    rolledForward,
    ...(acknowledgeBy !== undefined && { acknowledgeBy }),
    ...(explanationDueDate !== undefined && { explanationDueDate }),
    ...(extensionResult !== undefined && { extension: extensionResult }),
    reminders: reminderDates(calendars, policy, startDate, strictDue),
  };
}

/** The day an instant falls on in the policy's time zone: the legal receipt date, whatever the server's zone. */
export function receivedOnFor(policy: PolicyProfile, instant: Date): PlainDate {
  return plainDateInZone(instant, policy.timeZone);
}

/**
 * Signed number of the clock's day units from `from` (excluded) to `to` (included): working days on
 * working-day clocks, calendar days otherwise. Use it to turn a pause into `pausedUnits`.
 */
export function unitsBetween(
  policy: PolicyProfile,
  from: PlainDate,
  to: PlainDate,
  calendars: CalendarSet = PACKAGED_CALENDARS,
): number {
  return countDays(new ConsultedCalendars(calendars), dayCounting(policy), from, to);
}

/**
 * How much time is left on `today` (a plain date in the policy's zone): calendar days always, working
 * days too when the clock has a calendar. The due date itself is the last day to reply, so it is
 * overdue only from the day after; daysLeft is negative once overdue.
 */
export function clockStatus(
  result: DeadlineResult,
  today: PlainDate,
  calendars: CalendarSet = PACKAGED_CALENDARS,
): { daysLeft: number; workingDaysLeft?: number; overdue: boolean } {
  if (result.dueDate === null) throw new ClockNotStarted(result.policy);
  const status: { daysLeft: number; workingDaysLeft?: number; overdue: boolean } = {
    daysLeft: daysBetween(today, result.dueDate),
    overdue: compareDates(today, result.dueDate) > 0,
  };
  const { calendar, dueDate } = result;
  if (calendar !== undefined) {
    const consulted = new ConsultedCalendars(calendars);
    status.workingDaysLeft = countDays(consulted, { unit: 'working-days', calendar }, today, dueDate);
  }
  return status;
}
