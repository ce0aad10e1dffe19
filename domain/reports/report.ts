/**
 * The console report (issue 5): how many requests are open, due soon, overdue
 * or breached, how many closed on time or late, and the median days to close,
 * overall, per policy and per channel.
 *
 * Pure: the records and the instant the report is "as of" come in as
 * arguments. Every date is a plain date in the request's policy zone (today,
 * the receipt day, the close day), as the legal clock counts them; the
 * distances here are calendar days:
 *
 * - due within 3 days: open, clock running, due today or in the next three
 *   calendar days (calendar rather than working days, so the number means the
 *   same for every policy: a Friday's "3 days" reaches Monday);
 * - overdue: open and past the due date, judged on the day the clock stopped
 *   for a paused request (a stopped clock loses no time, as the console shows
 *   it), so paused requests are never "due soon" but stay overdue if they
 *   already were;
 * - breached: the sweeper marked the breach (`breach`), open or closed since;
 * - closed on time: the close day (or the day the clock stopped, when closed
 *   while paused) is on or before the due date, extensions included; late
 *   otherwise. Closed without a due date (the clock never started, e.g.
 *   never verified under a verification-start policy) and closed before
 *   `closedAt` was recorded are counted apart, never guessed;
 * - days to close: calendar days from the receipt day to the close day.
 */
import { compareDates, daysBetween, type PlainDate, plainDateInZone } from '../clock';
import { InvalidInput, PermanentError } from '../errors';
import { isOpen } from '../lifecycle';
import type { PolicyProfile } from '../policy/schema';
import { CHANNELS, type Channel } from '../request';
import type { RequestRecord } from '../request-record';

/** "Due soon" horizon, in calendar days from today. */
export const DUE_SOON_DAYS = 3;

/** The fields of a stored request the report reads (the handler projects only these). */
export type ReportRecord = Pick<
  RequestRecord,
  'policyId' | 'channel' | 'status' | 'receivedAt' | 'closedAt' | 'pausedSince' | 'breach'
> & { readonly deadline: Pick<RequestRecord['deadline'], 'dueDate'> };

export interface ReportCounts {
  /** Requests received in the report's range. */
  readonly received: number;
  readonly open: number;
  readonly dueWithin3Days: number;
  readonly overdue: number;
  readonly breached: number;
  readonly closed: number;
  readonly closedOnTime: number;
  readonly closedLate: number;
  /** Closed before the close instant was recorded: closed, timing unknown. */
  readonly closedTimingUnknown: number;
  /** Closed while the clock had not started (no due date): neither on time nor late. */
  readonly closedWithoutDueDate: number;
  /** Median calendar days from receipt to close over closes with a known day; null when there are none. */
  readonly medianDaysToClose: number | null;
}

export interface PolicyReport extends ReportCounts {
  readonly policyId: string;
  /** Today in the policy's zone, the day "due soon" and "overdue" are judged on. */
  readonly today: PlainDate;
}

export interface ChannelReport extends ReportCounts {
  readonly channel: Channel;
}

export interface Report {
  /** The instant the report is as of (ISO-8601). */
  readonly asOf: string;
  /** Receipt-day range (inclusive, in each policy's zone); null when open-ended. */
  readonly receivedFrom: PlainDate | null;
  readonly receivedTo: PlainDate | null;
  readonly dueSoonDays: typeof DUE_SOON_DAYS;
  readonly overall: ReportCounts;
  readonly byPolicy: readonly PolicyReport[];
  readonly byChannel: readonly ChannelReport[];
}

export interface ReportInput {
  readonly records: readonly ReportRecord[];
  /** The policies to report on, one row each (rows with zero requests included). */
  readonly policies: readonly Pick<PolicyProfile, 'id' | 'timeZone'>[];
  readonly asOf: Date;
  readonly receivedFrom?: PlainDate;
  readonly receivedTo?: PlainDate;
}

/** A record whose policy is not among the report's policies: its dates have no zone to be read in. */
export class ReportPolicyMissing extends PermanentError {
  override readonly name = 'ReportPolicyMissing' as const;
  readonly code = 'report-policy-missing';
  constructor(readonly policyId: string) {
    super(`A request has policy '${policyId}', which is not among the report's policies`);
  }
}

/** The receipt range ends before it starts. */
export class ReportRangeReversed extends InvalidInput {
  override readonly name = 'ReportRangeReversed' as const;
  readonly code = 'invalid-field';
  override readonly field = 'to';
  constructor(from: PlainDate, to: PlainDate) {
    super(`to: ${to} is before from ${from}`);
  }
}

/** One record as the report sees it: every judgement made once, in its policy's zone. */
interface Judged {
  readonly policyId: string;
  readonly channel: Channel;
  readonly open: boolean;
  readonly dueSoon: boolean;
  readonly overdue: boolean;
  readonly breached: boolean;
  readonly closing?: 'on-time' | 'late' | 'timing-unknown' | 'without-due-date';
  readonly daysToClose?: number;
}

function judge(record: ReportRecord, today: PlainDate, timeZone: string): Judged {
  const dueDate = record.deadline.dueDate;
  const base = { policyId: record.policyId, channel: record.channel, breached: record.breach !== undefined };
  if (isOpen(record.status)) {
    const asOf = record.pausedSince ?? today;
    const daysLeft = dueDate === null ? undefined : daysBetween(asOf, dueDate);
    return {
      ...base,
      open: true,
      overdue: daysLeft !== undefined && daysLeft < 0,
      dueSoon:
        record.pausedSince === undefined &&
        daysLeft !== undefined &&
        daysLeft >= 0 &&
        daysLeft <= DUE_SOON_DAYS,
    };
  }
  const closed = { ...base, open: false, overdue: false, dueSoon: false };
  if (record.closedAt === undefined) return { ...closed, closing: 'timing-unknown' };
  const closedOn = plainDateInZone(new Date(record.closedAt), timeZone);
  const daysToClose = daysBetween(plainDateInZone(new Date(record.receivedAt), timeZone), closedOn);
  if (dueDate === null) return { ...closed, closing: 'without-due-date', daysToClose };
  const clockDay = record.pausedSince ?? closedOn;
  return { ...closed, closing: compareDates(clockDay, dueDate) <= 0 ? 'on-time' : 'late', daysToClose };
}

/** The middle value, or the mean of the two middle values; null for no values. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function countsOf(judged: readonly Judged[]): ReportCounts {
  const count = (test: (each: Judged) => boolean) => judged.filter(test).length;
  return {
    received: judged.length,
    open: count((each) => each.open),
    dueWithin3Days: count((each) => each.dueSoon),
    overdue: count((each) => each.overdue),
    breached: count((each) => each.breached),
    closed: count((each) => !each.open),
    closedOnTime: count((each) => each.closing === 'on-time'),
    closedLate: count((each) => each.closing === 'late'),
    closedTimingUnknown: count((each) => each.closing === 'timing-unknown'),
    closedWithoutDueDate: count((each) => each.closing === 'without-due-date'),
    medianDaysToClose: median(
      judged.flatMap((each) => (each.daysToClose === undefined ? [] : [each.daysToClose])),
    ),
  };
}

function withinRange(day: PlainDate, from: PlainDate | undefined, to: PlainDate | undefined): boolean {
  return (
    (from === undefined || compareDates(day, from) >= 0) && (to === undefined || compareDates(day, to) <= 0)
  );
}

export function buildReport(input: ReportInput): Report {
  const { receivedFrom: from, receivedTo: to } = input;
  if (from !== undefined && to !== undefined && compareDates(to, from) < 0)
    throw new ReportRangeReversed(from, to);
  const zones = new Map(input.policies.map((policy) => [policy.id, policy.timeZone]));
  const todays = new Map(
    input.policies.map((policy) => [policy.id, plainDateInZone(input.asOf, policy.timeZone)]),
  );
  const judged: Judged[] = [];
  for (const record of input.records) {
    const zone = zones.get(record.policyId);
    if (zone === undefined) throw new ReportPolicyMissing(record.policyId);
    if (!withinRange(plainDateInZone(new Date(record.receivedAt), zone), from, to)) continue;
    judged.push(judge(record, todays.get(record.policyId)!, zone));
  }
  return {
    asOf: input.asOf.toISOString(),
    receivedFrom: from ?? null,
    receivedTo: to ?? null,
    dueSoonDays: DUE_SOON_DAYS,
    overall: countsOf(judged),
    byPolicy: input.policies.map((policy) => ({
      policyId: policy.id,
      today: todays.get(policy.id)!,
      ...countsOf(judged.filter((each) => each.policyId === policy.id)),
    })),
    byChannel: CHANNELS.map((channel) => ({
      channel,
      ...countsOf(judged.filter((each) => each.channel === channel)),
    })),
  };
}
