/**
 * What the console shows of a request: an allow-list of fields (never the
 * status-token or code hashes), identifiers masked unless a supervisor asks
 * to see them, and the clock as the agent needs it — due date, days and
 * working days left, and, while the clock stands still, the due date it
 * would have if the requester answered today.
 */
import { type AuditEvent, verifyChain } from '../audit';
import { CalendarDataMissing, compareDates, daysBetween, type PlainDate } from '../clock';
import { clockStatus, type DeadlineResult } from '../deadline';
import type { PolicyProfile } from '../policy/schema';
import type { RequestRecord, SubjectIdentifier } from '../request-record';
import { approvalRequirement } from './approval';
import { clockAfterPause } from './pause';

export interface IdentifierView {
  readonly kind: SubjectIdentifier['kind'];
  readonly masked: string;
  readonly verified: boolean;
  readonly verifiedBy?: SubjectIdentifier['verifiedBy'];
  readonly verifiedAt?: string;
  /** Only when a supervisor asked to reveal identifiers (and the reveal was audited). */
  readonly value?: string;
}

export function identifierViews(
  identifiers: readonly SubjectIdentifier[],
  reveal: boolean,
): IdentifierView[] {
  return identifiers.map((identifier) => ({
    kind: identifier.kind,
    masked: identifier.masked,
    verified: identifier.verified,
    ...(identifier.verifiedBy ? { verifiedBy: identifier.verifiedBy } : {}),
    ...(identifier.verifiedAt ? { verifiedAt: identifier.verifiedAt } : {}),
    ...(reveal ? { value: identifier.value } : {}),
  }));
}

export interface ClockView {
  readonly start: string;
  readonly unit: string;
  readonly length: number;
  readonly calendar?: string;
  readonly dueDate: PlainDate | null;
  readonly pendingOn?: 'verification';
  /** Calendar days from today (or, while paused, from the day the clock stopped) to the due date. */
  readonly daysLeft?: number;
  readonly workingDaysLeft?: number;
  readonly overdue: boolean;
  readonly paused: boolean;
  readonly pausedSince?: PlainDate;
  readonly pausedUnits: number;
  /** While paused: the due date if the requester answered today (null without calendar data for it). */
  readonly dueDateIfResumedToday?: PlainDate | null;
  readonly extended: boolean;
  readonly originalDueDate?: PlainDate;
  readonly explanationDueDate?: PlainDate;
  readonly acknowledgeBy?: PlainDate;
}

/** clockStatus, without working days when a year between has no official calendar (shown, never guessed). */
function statusOn(deadline: DeadlineResult, dueDate: PlainDate, day: PlainDate) {
  try {
    return clockStatus(deadline, day);
  } catch (error) {
    if (!(error instanceof CalendarDataMissing)) throw error;
    return { daysLeft: daysBetween(day, dueDate), overdue: compareDates(day, dueDate) > 0 };
  }
}

export function clockView(record: RequestRecord, policy: PolicyProfile, today: PlainDate): ClockView {
  const { deadline } = record;
  const paused = record.pausedSince !== undefined;
  // A stopped clock loses no time: its days left are those it had when it stopped.
  const asOf = record.pausedSince ?? today;
  const status = deadline.dueDate === null ? undefined : statusOn(deadline, deadline.dueDate, asOf);
  let dueDateIfResumedToday: PlainDate | null | undefined;
  if (paused) {
    try {
      dueDateIfResumedToday = clockAfterPause(record, policy, today).deadline.dueDate;
    } catch (error) {
      if (!(error instanceof CalendarDataMissing)) throw error;
      dueDateIfResumedToday = null;
    }
  }
  return {
    start: deadline.clockStart,
    unit: deadline.unit,
    length: deadline.length,
    ...(deadline.calendar ? { calendar: deadline.calendar } : {}),
    dueDate: deadline.dueDate,
    ...(deadline.pendingOn ? { pendingOn: deadline.pendingOn } : {}),
    ...(status ? { daysLeft: status.daysLeft } : {}),
    ...(status?.workingDaysLeft !== undefined ? { workingDaysLeft: status.workingDaysLeft } : {}),
    overdue: status?.overdue === true,
    paused,
    ...(record.pausedSince ? { pausedSince: record.pausedSince } : {}),
    pausedUnits: record.pausedUnits,
    ...(dueDateIfResumedToday !== undefined ? { dueDateIfResumedToday } : {}),
    extended: record.extended,
    ...(deadline.extension ? { originalDueDate: deadline.extension.originalDueDate } : {}),
    ...(deadline.explanationDueDate ? { explanationDueDate: deadline.explanationDueDate } : {}),
    ...(deadline.acknowledgeBy ? { acknowledgeBy: deadline.acknowledgeBy } : {}),
  };
}

/** One row of the console's request list. */
export function requestSummary(record: RequestRecord, policy: PolicyProfile, today: PlainDate) {
  const clock = clockView(record, policy, today);
  return {
    requestId: record.requestId,
    type: record.type ?? null,
    needsTriage: record.needsTriage,
    status: record.status,
    policyId: record.policyId,
    channel: record.channel,
    receivedAt: record.receivedAt,
    dueDate: clock.dueDate,
    ...(clock.daysLeft !== undefined ? { daysLeft: clock.daysLeft } : {}),
    ...(clock.workingDaysLeft !== undefined ? { workingDaysLeft: clock.workingDaysLeft } : {}),
    overdue: clock.overdue,
    paused: clock.paused,
    assignee: record.assignee ?? null,
    openManualTasks: record.openManualTasks ?? 0,
    identifiers: identifierViews(record.identifiers, false),
  };
}

/** Everything an agent needs to handle one request. */
export function requestDetail(
  record: RequestRecord,
  policy: PolicyProfile,
  today: PlainDate,
  events: readonly AuditEvent[],
  reveal: boolean,
) {
  return {
    requestId: record.requestId,
    type: record.type ?? null,
    needsTriage: record.needsTriage,
    ...(record.triageCandidates ? { triageCandidates: record.triageCandidates } : {}),
    status: record.status,
    channel: record.channel,
    ...(record.receivedVia ? { receivedVia: record.receivedVia } : {}),
    policy: { id: policy.id, name: policy.name, regime: policy.regime, timeZone: policy.timeZone },
    requester: record.requester,
    identifiers: identifierViews(record.identifiers, reveal),
    identifiersRevealed: reveal,
    ...(record.details ? { details: record.details } : {}),
    ...(record.portabilityTarget ? { portabilityTarget: record.portabilityTarget } : {}),
    locale: record.locale,
    receivedAt: record.receivedAt,
    ...(record.verifiedOn ? { verifiedOn: record.verifiedOn } : {}),
    clock: clockView(record, policy, today),
    evidenceKeys: record.evidenceKeys ?? [],
    assignee: record.assignee ?? null,
    approval: { ...approvalRequirement(record, policy), approvals: record.approvals ?? [] },
    ...(record.extended
      ? { extension: { postponedOn: record.postponedOn ?? null, reason: record.extensionReason ?? null } }
      : {}),
    ...(record.refusal ? { refusal: record.refusal } : {}),
    ...(record.duplicateOf ? { duplicateOf: record.duplicateOf } : {}),
    ...(record.repeat ? { repeat: record.repeat } : {}),
    notes: record.notes ?? [],
    storeResults: record.fulfilment?.storeResults ?? {},
    timeline: events.map((event) => ({
      seq: event.seq,
      at: event.at,
      type: event.type,
      actor: event.actor,
      ...(event.details ? { details: event.details } : {}),
    })),
    auditTrail: verifyChain([...events].sort((a, b) => a.seq - b.seq)),
  };
}
