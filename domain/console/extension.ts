/**
 * Extending the reply period: only where the policy allows one, only once
 * (the deadline engine's extension takes the period to its cap), with the
 * reason the policy requires, and only while the notice can still be given
 * in time. The requester is told today, so today is the postponement day the
 * engine checks against the notice deadline; for policies that owe an
 * explanation of a postponement (qianxin), the notice is that explanation and
 * must also be in time for it.
 */
import { compareDates } from '../clock';
import {
  computeDeadline,
  type DeadlineResult,
  ExtensionNotAllowed,
  ExtensionNoticeLate,
  receivedOnFor,
} from '../deadline';
import { planTransition } from '../lifecycle';
import type { PolicyProfile } from '../policy/schema';
import type { RequestRecord } from '../request-record';
import type { ActionContext, RecordChange } from './action';
import { ExtensionCapReached, ExtensionReasonRequired, ResumeFirst } from './errors';

export interface ExtensionInput {
  readonly reason?: string;
}

/** The request's deadline with the policy's extension taken, notified on `context.today`. */
export function extendedDeadline(
  record: RequestRecord,
  policy: PolicyProfile,
  context: ActionContext,
): DeadlineResult {
  checkExtensionAvailable(record, policy);
  const deadline = computeDeadline({
    policy,
    receivedOn: receivedOnFor(policy, new Date(record.receivedAt)),
    ...(record.verifiedOn ? { verifiedOn: record.verifiedOn } : {}),
    postponedOn: context.today,
    pausedUnits: record.pausedUnits,
    ...(context.calendars ? { calendars: context.calendars } : {}),
  });
  if (
    deadline.explanationDueDate !== undefined &&
    compareDates(context.today, deadline.explanationDueDate) > 0
  ) {
    throw new ExtensionNoticeLate(policy.id, context.today, deadline.explanationDueDate);
  }
  return deadline;
}

/** The policy has an extension and this request has not had it yet. */
function checkExtensionAvailable(record: RequestRecord, policy: PolicyProfile): void {
  const { extension, clock } = policy;
  if (extension === undefined) throw new ExtensionNotAllowed(policy.id);
  // The engine's one extension already takes the period to its cap (the schema checks length + extension <= maxTotal).
  if (record.extended) {
    throw new ExtensionCapReached(policy.id, clock.length + extension.length, extension.maxTotal, clock.unit);
  }
}

export function extendRequest(
  record: RequestRecord,
  policy: PolicyProfile,
  input: ExtensionInput,
  context: ActionContext,
): RecordChange {
  const { actor, at, today } = context;
  if (record.status === 'awaiting-requester') throw new ResumeFirst();
  checkExtensionAvailable(record, policy);
  const reason = input.reason?.trim();
  if (policy.extension?.reasonRequired && !reason) throw new ExtensionReasonRequired(policy.id);
  const statusChange = planTransition(record.status, { to: 'extended', actor, at });
  const deadline = extendedDeadline(record, policy, context);
  return {
    next: {
      ...record,
      status: 'extended',
      extended: true,
      postponedOn: today,
      ...(reason ? { extensionReason: reason } : {}),
      deadline,
    },
    events: [
      statusChange,
      {
        type: 'deadline-extended',
        actor,
        at,
        details: {
          dueDateBefore: record.deadline.dueDate,
          dueDate: deadline.dueDate,
          noticeOn: today,
          ...(deadline.extension ? { noticeBy: deadline.extension.noticeBy } : {}),
          ...(deadline.explanationDueDate ? { explanationDueDate: deadline.explanationDueDate } : {}),
          reasonGiven: reason !== undefined,
        },
      },
    ],
  };
}
