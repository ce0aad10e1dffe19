/**
 * Errors of the legal clock, one class per failure. Every one of them is permanent: retrying the same
 * input gives the same answer, so ASL Retry blocks must not match them.
 */
import { InvalidInput, PermanentError } from '../errors';

/** Text that is not a real calendar date written as YYYY-MM-DD, or arithmetic leaving years 0001-9999. */
export class InvalidPlainDate extends InvalidInput {
  override name = 'InvalidPlainDate' as const;
  readonly code = 'invalid-date';
  readonly input: string;

  constructor(input: string, reason = 'expected a real calendar date written as YYYY-MM-DD') {
    super(`Invalid plain date '${input}': ${reason}`);
    this.input = input;
  }
}

/** A time zone name that the runtime's IANA database does not know. */
export class InvalidTimeZone extends PermanentError {
  override name = 'InvalidTimeZone' as const;
  readonly code = 'invalid-time-zone';
  readonly timeZone: string;

  constructor(timeZone: string) {
    super(`Unknown IANA time zone '${timeZone}'`);
    this.timeZone = timeZone;
  }
}

/** A Date object that holds no instant (new Date('garbage')). */
export class InvalidInstant extends PermanentError {
  override name = 'InvalidInstant' as const;
  readonly code = 'invalid-instant';

  constructor() {
    super('Invalid instant: the Date holds no time value');
  }
}

/** A calendar id that no calendar module provides. */
export class UnknownCalendar extends PermanentError {
  override name = 'UnknownCalendar' as const;
  readonly code = 'unknown-calendar';
  readonly calendarId: string;

  constructor(calendarId: string) {
    super(`Unknown working calendar '${calendarId}'`);
    this.calendarId = calendarId;
  }
}

/** Calendar data that contradicts itself (a date outside its year, a day both holiday and workday...). */
export class InvalidCalendarData extends InvalidInput {
  override name = 'InvalidCalendarData' as const;
  readonly code = 'invalid-notice';
  readonly calendarId: string;
  /** Every problem found, one sentence each (what an operator fixes before importing again). */
  readonly problems: readonly string[];

  constructor(calendarId: string, reason: string, problems: readonly string[] = [reason]) {
    super(`Calendar '${calendarId}' data is invalid: ${reason}`);
    this.calendarId = calendarId;
    this.problems = problems;
  }
}

/** A day count that is not a whole number, or a negative count where only >= 0 makes sense. */
export class InvalidPeriodLength extends PermanentError {
  override name = 'InvalidPeriodLength' as const;
  readonly code = 'invalid-period-length';
  readonly length: number;

  constructor(length: number, expected = 'a whole number of days') {
    super(`Invalid period length ${length}: expected ${expected}`);
    this.length = length;
  }
}
