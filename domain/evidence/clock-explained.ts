/**
 * The clock of one request explained for a regulator: what started it and on which day, the unit and
 * length, the calendar and the official source of every year it counted on, each holiday skipped and
 * each make-up working day counted inside the period, the pauses and the extension, whether a year was
 * counted on the statutory baseline (provisional), and the day-by-day count that ends on the due date.
 *
 * Pure. The count is re-derived day by day from the same calendars and the same rules as the deadline
 * engine (domain/deadline.ts), and the engine's own answer is carried beside it: the two must agree,
 * which the property tests check for random start dates and policies.
 */
import type { AuditEventBody } from '../audit';
import {
  addDays,
  type CalendarDay,
  type CalendarId,
  type CalendarSet,
  type CalendarSource,
  compareDates,
  dayOfWeek,
  type PlainDate,
  type WorkingCalendar,
  yearOf,
} from '../clock';
import { computeDeadline, type DeadlineResult, receivedOnFor } from '../deadline';
import type { ClockStart, PeriodUnit, PolicyProfile } from '../policy/schema';

/** What the record says that moves the clock (the fields of RequestRecord of the same names). */
export interface ClockExplanationFacts {
  /** ISO-8601 instant of receipt. */
  readonly receivedAt: string;
  readonly verifiedOn?: PlainDate;
  readonly extended: boolean;
  readonly pausedUnits: number;
  readonly postponedOn?: PlainDate;
  readonly extensionReason?: string;
  readonly pausedSince?: PlainDate;
  /** The due date stored on the request, to show that the explanation explains it. */
  readonly storedDeadline?: DeadlineResult;
}

export interface ClockExplanationInput {
  readonly policy: PolicyProfile;
  readonly facts: ClockExplanationFacts;
  readonly calendars: CalendarSet;
  /** The request's trail: the pauses are read from it (clock-paused, clock-resumed). */
  readonly trail?: readonly AuditEventBody[];
}

export interface ExplainedPause {
  readonly since: PlainDate;
  /** Absent while the clock still stands. */
  readonly resumedOn?: PlainDate;
  /** The units this pause added to the period. */
  readonly unitsAdded?: number;
}

export interface CalendarYearSource {
  readonly year: number;
  /** False: the year has no official data yet and was counted on the statutory baseline. */
  readonly official: boolean;
  readonly source: CalendarSource;
  readonly amendedBy?: readonly CalendarSource[];
}

export interface ClockExplanation {
  readonly policy: {
    readonly id: string;
    readonly name: string;
    readonly regime: string;
    readonly citation: string;
    /** The sentence of the source the clock is based on, verbatim. */
    readonly quote: string;
  };
  readonly timeZone: string;
  readonly start: {
    readonly event: ClockStart;
    /** ISO instant of receipt (receipt-start clocks). */
    readonly receivedAt: string;
    /** The day the period counts from, itself not counted; null while waiting for verification. */
    readonly day: PlainDate | null;
  };
  readonly unit: PeriodUnit;
  /** The policy's period, in `unit`. */
  readonly length: number;
  readonly extension?: {
    readonly length: number;
    readonly unit: PeriodUnit;
    readonly postponedOn?: PlainDate;
    readonly reason?: string;
    readonly originalDueDate: PlainDate;
    readonly noticeBy: PlainDate;
  };
  /** Units the clock stood still, added at the end of the period (working days, or calendar days). */
  readonly pausedUnits: number;
  readonly pauses: readonly ExplainedPause[];
  /** `length` + extension + pauses for day units; for months, the months (pauses are added as days). */
  readonly totalUnits: number;
  readonly calendar?: {
    readonly id: CalendarId;
    readonly name: string;
    /** Every year the count touched, with the source its days were read from. */
    readonly years: readonly CalendarYearSource[];
  };
  /** The days that count towards the period, in order; the last one is the strict due date. */
  readonly countedDays: readonly PlainDate[];
  /** Holidays (named rest days, not ordinary weekends) inside the period or the roll-forward, not counted on working-day clocks. */
  readonly holidays: readonly CalendarDay[];
  /** Weekend days the calendar makes working days (China's 调休上班), counted on working-day clocks. */
  readonly makeUpWorkdays: readonly CalendarDay[];
  /** Ordinary weekend days skipped inside the period (working-day clocks only). */
  readonly weekendDaysSkipped: number;
  readonly strictDueDate: PlainDate | null;
  /** Rest days the due date was moved over (policies that roll forward), in order. */
  readonly rolledOver: readonly CalendarDay[];
  readonly dueDate: PlainDate | null;
  readonly pendingOn?: 'verification';
  /** Years counted on the statutory baseline because no official notice exists yet. */
  readonly provisionalYears: readonly number[];
  /** The due date stored on the request, when given, and whether the explanation arrives at it. */
  readonly storedDueDate?: PlainDate | null;
  readonly matchesStoredDueDate?: boolean;
  /** The explanation in sentences, in order. */
  readonly sentences: readonly string[];
}

const UNIT_WORDS: Readonly<Record<PeriodUnit, string>> = {
  'calendar-days': 'calendar days',
  'working-days': 'working days',
  months: 'months',
};

function isWeekend(date: PlainDate): boolean {
  const weekday = dayOfWeek(date);
  return weekday === 0 || weekday === 6;
}

/** The pauses the trail records, in order: each clock-paused, closed by the clock-resumed after it. */
export function pausesOnTrail(trail: readonly AuditEventBody[]): ExplainedPause[] {
  const pauses: ExplainedPause[] = [];
  let open: PlainDate | undefined;
  for (const event of trail) {
    if (event.type === 'clock-paused' && typeof event.details?.since === 'string') {
      open = event.details.since as PlainDate;
    } else if (event.type === 'clock-resumed') {
      const since = (event.details?.pausedSince as PlainDate | undefined) ?? open;
      if (since === undefined) continue;
      const resumedOn = event.details?.resumedOn as PlainDate | undefined;
      const unitsAdded = event.details?.unitsAdded as number | undefined;
      pauses.push({
        since,
        ...(resumedOn ? { resumedOn } : {}),
        ...(typeof unitsAdded === 'number' ? { unitsAdded } : {}),
      });
      open = undefined;
    }
  }
  if (open !== undefined) pauses.push({ since: open });
  return pauses;
}

function makeUpName(calendar: WorkingCalendar, date: PlainDate): string {
  for (const year of calendar.years) {
    const found = year.makeUpWorkdays.find((day) => day.date === date);
    if (found) return found.name;
  }
  return 'make-up working day';
}

/** The days in (from, to], `from` excluded. */
function daysAfter(from: PlainDate, to: PlainDate): PlainDate[] {
  const days: PlainDate[] = [];
  for (let date = addDays(from, 1); compareDates(date, to) <= 0; date = addDays(date, 1)) days.push(date);
  return days;
}

export function explainClock(input: ClockExplanationInput): ClockExplanation {
  const { policy, facts, calendars } = input;
  const { clock } = policy;
  const deadline = computeDeadline({
    policy,
    receivedOn: receivedOnFor(policy, new Date(facts.receivedAt)),
    ...(facts.verifiedOn ? { verifiedOn: facts.verifiedOn } : {}),
    extended: facts.extended,
    pausedUnits: facts.pausedUnits,
    calendars,
  });
  const calendar = clock.calendar === undefined ? undefined : calendars.get(clock.calendar);
  const extensionLength = deadline.extension?.length ?? 0;
  const totalUnits =
    clock.unit === 'months'
      ? clock.length + extensionLength
      : clock.length + extensionLength + facts.pausedUnits;
  const start = deadline.startDate;
  const strictDueDate = deadline.strictDueDate ?? deadline.dueDate;

  let countedDays: PlainDate[] = [];
  let weekendDaysSkipped = 0;
  const holidays: CalendarDay[] = [];
  const makeUpWorkdays: CalendarDay[] = [];
  const rolledOver: CalendarDay[] = [];
  const touchedYears = new Set<number>();
  if (start !== null && strictDueDate !== null && deadline.dueDate !== null) {
    const inPeriod = daysAfter(start, strictDueDate);
    for (const date of [start, ...inPeriod]) touchedYears.add(yearOf(date));
    if (clock.unit === 'working-days' && calendar !== undefined) {
      countedDays = inPeriod.filter((date) => calendar.isWorkingDay(date));
      weekendDaysSkipped = inPeriod.filter(
        (date) => !calendar.isWorkingDay(date) && calendar.restDayName(date) === 'weekend',
      ).length;
    } else {
      countedDays = inPeriod;
    }
    if (calendar !== undefined) {
      for (const date of inPeriod) {
        const status = calendar.dayStatus(date);
        if (!status.working && status.restDayName !== 'weekend')
          holidays.push({ date, name: status.restDayName ?? 'rest day' });
        if (status.working && isWeekend(date))
          makeUpWorkdays.push({ date, name: makeUpName(calendar, date) });
      }
      for (const date of daysAfter(strictDueDate, deadline.dueDate)) {
        touchedYears.add(yearOf(date));
        const name = calendar.restDayName(date) ?? 'rest day';
        rolledOver.push({ date, name });
        if (name !== 'weekend') holidays.push({ date, name });
      }
    }
  }
  for (const year of deadline.provisionalYears ?? []) touchedYears.add(year);

  const years: CalendarYearSource[] =
    calendar === undefined
      ? []
      : [...touchedYears]
          .sort((a, b) => a - b)
          .map((year) => {
            const data = calendar.years.find((entry) => entry.year === year);
            return {
              year,
              official: calendar.isOfficial(year),
              source: calendar.sourceFor(year),
              ...(data?.amendedBy?.length ? { amendedBy: data.amendedBy } : {}),
            };
          });

  const pauses = pausesOnTrail(input.trail ?? []);
  const extension =
    deadline.extension === undefined
      ? undefined
      : {
          length: deadline.extension.length,
          unit: deadline.extension.unit,
          ...(facts.postponedOn ? { postponedOn: facts.postponedOn } : {}),
          ...(facts.extensionReason ? { reason: facts.extensionReason } : {}),
          originalDueDate: deadline.extension.originalDueDate,
          noticeBy: deadline.extension.noticeBy,
        };
  const stored = facts.storedDeadline;
  const explanation: Omit<ClockExplanation, 'sentences'> = {
    policy: {
      id: policy.id,
      name: policy.name,
      regime: policy.regime,
      citation: policy.source.citation,
      quote: policy.source.quote,
    },
    timeZone: policy.timeZone,
    start: { event: clock.start, receivedAt: facts.receivedAt, day: start },
    unit: clock.unit,
    length: clock.length,
    ...(extension ? { extension } : {}),
    pausedUnits: facts.pausedUnits,
    pauses,
    totalUnits,
    ...(calendar ? { calendar: { id: calendar.id, name: calendar.name, years } } : {}),
    countedDays,
    holidays,
    makeUpWorkdays,
    weekendDaysSkipped,
    strictDueDate,
    rolledOver,
    dueDate: deadline.dueDate,
    ...(deadline.pendingOn ? { pendingOn: deadline.pendingOn } : {}),
    provisionalYears: deadline.provisionalYears ?? [],
    ...(stored
      ? { storedDueDate: stored.dueDate, matchesStoredDueDate: stored.dueDate === deadline.dueDate }
      : {}),
  };
  return { ...explanation, sentences: sentencesOf(explanation, clock.rollForwardOnRestDay) };
}

function sourceText(source: CalendarSource): string {
  return [
    source.authority,
    source.title,
    source.documentNumber,
    `published ${source.published}`,
    source.url,
    source.generatedBy ? `generated by ${source.generatedBy}` : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(', ');
}

function dayList(days: readonly CalendarDay[]): string {
  return days.map((day) => `${day.date} (${day.name})`).join('; ');
}

function sentencesOf(clock: Omit<ClockExplanation, 'sentences'>, rollsForward: boolean): string[] {
  const unit = UNIT_WORDS[clock.unit];
  const sentences = [
    `Policy ${clock.policy.id} (${clock.policy.name}, ${clock.policy.regime}): ${clock.length} ${unit}, per ${clock.policy.citation}: "${clock.policy.quote}"`,
    `Dates are read in the ${clock.timeZone} time zone.`,
  ];
  if (clock.start.event === 'receipt') {
    sentences.push(
      `The clock starts on receipt: received ${clock.start.receivedAt}, which is ${clock.start.day} in ${clock.timeZone}. The start day is not counted.`,
    );
  } else if (clock.start.day === null) {
    sentences.push('The clock starts when the requester’s identity is verified, which has not happened.');
  } else {
    sentences.push(
      `The clock starts when the requester’s identity is verified: on ${clock.start.day}. The start day is not counted.`,
    );
  }
  if (clock.extension) {
    sentences.push(
      `The period was extended by ${clock.extension.length} ${UNIT_WORDS[clock.extension.unit]}${clock.extension.postponedOn ? `, the requester told on ${clock.extension.postponedOn}` : ''} (notice due by ${clock.extension.noticeBy}; the original due date was ${clock.extension.originalDueDate})${clock.extension.reason ? `, because: ${clock.extension.reason}` : ''}.`,
    );
  }
  for (const pause of clock.pauses) {
    sentences.push(
      pause.resumedOn
        ? `The clock stood still from ${pause.since} until ${pause.resumedOn}, waiting for the requester${pause.unitsAdded !== undefined ? `: ${pause.unitsAdded} ${clock.unit === 'working-days' ? 'working days' : 'calendar days'} added` : ''}.`
        : `The clock has stood still since ${pause.since}, waiting for the requester.`,
    );
  }
  if (clock.pausedUnits > 0) {
    sentences.push(
      `Paused time adds ${clock.pausedUnits} ${clock.unit === 'working-days' ? 'working days' : 'calendar days'} at the end of the period.`,
    );
  }
  if (clock.calendar) {
    sentences.push(`Calendar: ${clock.calendar.name} (${clock.calendar.id}).`);
    for (const year of clock.calendar.years) {
      sentences.push(
        `${year.year}: ${year.official ? 'official' : 'PROVISIONAL (no official notice yet; statutory rules)'} — ${sourceText(year.source)}${year.amendedBy?.length ? `; amended by ${year.amendedBy.map(sourceText).join('; ')}` : ''}.`,
      );
    }
  }
  if (clock.dueDate === null) return sentences;
  if (clock.unit === 'months') {
    sentences.push(
      `${clock.totalUnits} months after ${clock.start.day} (clamped to the month's last day)${clock.pausedUnits > 0 ? `, plus ${clock.pausedUnits} days` : ''}: ${clock.strictDueDate}, ${clock.countedDays.length} calendar days.`,
    );
  } else {
    sentences.push(
      `${clock.countedDays.length} ${unit} counted (${clock.totalUnits} due), from ${clock.countedDays[0]} to ${clock.strictDueDate}.`,
    );
  }
  if (clock.holidays.length > 0) {
    sentences.push(
      `${clock.unit === 'working-days' ? 'Holidays not counted' : 'Holidays inside the period (counted: the unit is not working days)'}: ${dayList(clock.holidays)}.`,
    );
  }
  if (clock.unit === 'working-days' && clock.weekendDaysSkipped > 0) {
    sentences.push(`Ordinary weekend days not counted: ${clock.weekendDaysSkipped}.`);
  }
  if (clock.makeUpWorkdays.length > 0) {
    sentences.push(`Make-up working days counted: ${dayList(clock.makeUpWorkdays)}.`);
  }
  if (clock.rolledOver.length > 0) {
    sentences.push(
      `${clock.strictDueDate} is a rest day, so the due date moves to the next working day over ${dayList(clock.rolledOver)}.`,
    );
  } else if (rollsForward) {
    sentences.push(`${clock.strictDueDate} is a working day: no roll-forward.`);
  }
  sentences.push(`Due date: ${clock.dueDate}.`);
  if (clock.provisionalYears.length > 0) {
    sentences.push(
      `Provisional: ${clock.provisionalYears.join(', ')} ha${clock.provisionalYears.length > 1 ? 've' : 's'} no official calendar yet; the date was counted on the statutory rules, never later than the official one will be, and is recomputed when the notice is imported.`,
    );
  }
  if (clock.matchesStoredDueDate === false) {
    sentences.push(
      `The request stores the due date ${clock.storedDueDate}; recounted on today's calendars it is ${clock.dueDate} (a calendar imported since; the sweeper recomputes it).`,
    );
  }
  return sentences;
}
