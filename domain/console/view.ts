/**
 * What the console shows of a request: an allow-list of fields (never the
 * status-token or code hashes), identifiers masked unless a supervisor asks
 * to see them, and the clock as the agent needs it — due date, days and
 * working days left, and, while the clock stands still, the due date it
 * would have if the requester answered today.
 */
import type { AuditEvent } from '../audit';
import { verifyTrail } from '../audit-verification';
import type { CalendarSet, PlainDate } from '../clock';
import { clockStatus } from '../deadline';
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
  /** The due date counts on a year without an official calendar yet (see DeadlineResult.provisional). */
  readonly provisional?: true;
  readonly provisionalYears?: readonly number[];
  readonly pendingOn?: 'verification';
  /** Calendar days from today (or, while paused, from the day the clock stopped) to the due date. */
  readonly daysLeft?: number;
  readonly workingDaysLeft?: number;
  readonly overdue: boolean;
  readonly paused: boolean;
  readonly pausedSince?: PlainDate;
  readonly pausedUnits: number;
  /** While paused: the due date if the requester answered today (null while waiting for verification). */
  readonly dueDateIfResumedToday?: PlainDate | null;
  readonly extended: boolean;
  readonly originalDueDate?: PlainDate;
  readonly explanationDueDate?: PlainDate;
  readonly acknowledgeBy?: PlainDate;
}

export function clockView(
  record: RequestRecord,
  policy: PolicyProfile,
  today: PlainDate,
  calendars?: CalendarSet,
): ClockView {
  const { deadline } = record;
  const paused = record.pausedSince !== undefined;
  // A stopped clock loses no time: its days left are those it had when it stopped.
  const asOf = record.pausedSince ?? today;
  const status = deadline.dueDate === null ? undefined : clockStatus(deadline, asOf, calendars);
  const dueDateIfResumedToday = paused
    ? clockAfterPause(record, policy, today, calendars).deadline.dueDate
    : undefined;
  return {
    start: deadline.clockStart,
    unit: deadline.unit,
    length: deadline.length,
    ...(deadline.calendar ? { calendar: deadline.calendar } : {}),
    dueDate: deadline.dueDate,
    ...(deadline.provisional ? { provisional: true, provisionalYears: deadline.provisionalYears ?? [] } : {}),
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
export function requestSummary(
  record: RequestRecord,
  policy: PolicyProfile,
  today: PlainDate,
  calendars?: CalendarSet,
) {
  const clock = clockView(record, policy, today, calendars);
  return {
    requestId: record.requestId,
    type: record.type ?? null,
    needsTriage: record.needsTriage,
    status: record.status,
    policyId: record.policyId,
    channel: record.channel,
    receivedAt: record.receivedAt,
    dueDate: clock.dueDate,
    ...(clock.provisional ? { provisional: true, provisionalYears: clock.provisionalYears } : {}),
    ...(clock.daysLeft !== undefined ? { daysLeft: clock.daysLeft } : {}),
    ...(clock.workingDaysLeft !== undefined ? { workingDaysLeft: clock.workingDaysLeft } : {}),
    overdue: clock.overdue,
    paused: clock.paused,
    assignee: record.assignee ?? null,
    openManualTasks: record.openManualTasks ?? 0,
    // The queue's line on a stuck request: why its workflow stopped (step and store; never data).
    ...(record.attention ? { attention: record.attention.reason } : {}),
    // No code was sent (the subject's limits): an agent checks the requester's identity.
    ...(record.identityHold ? { identityHold: record.identityHold.reason } : {}),
    // What SES's verdicts said was wrong with the mail, as on the detail: the queue marks a spoofed one.
    ...(record.mailFlags ? { mailFlags: record.mailFlags } : {}),
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
  calendars?: CalendarSet,
  /** Whether an event's MAC holds, checked by the caller with the trail key; unchecked MACs do not hold. */
  macHolds: (event: AuditEvent) => boolean = () => false,
) {
  return {
    requestId: record.requestId,
    type: record.type ?? null,
    needsTriage: record.needsTriage,
    ...(record.triageCandidates ? { triageCandidates: record.triageCandidates } : {}),
    // What SES's verdicts said was wrong with the mail (suspected-spoofing: no code was sent).
    ...(record.mailFlags ? { mailFlags: record.mailFlags } : {}),
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
    clock: clockView(record, policy, today, calendars),
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
    ...(record.attention ? { attention: record.attention } : {}),
    ...(record.identityHold ? { identityHold: record.identityHold } : {}),
    timeline: events.map((event) => ({
      seq: event.seq,
      at: event.at,
      type: event.type,
      actor: event.actor,
      ...(event.details ? { details: event.details } : {}),
    })),
    // Hashes, MACs and links, and whether the trail ends at the head the record keeps.
    auditTrail: verifyTrail({
      trailId: record.requestId,
      events: [...events].sort((a, b) => a.seq - b.seq),
      record: { lastSeq: record.lastSeq, lastHash: record.lastHash },
      macHolds,
    }),
  };
}
