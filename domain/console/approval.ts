/**
 * Approval before fulfilment. A request needs one when its policy lists its
 * type (`approvalRequired.requestTypes`), or when it deletes data under a
 * policy that deletes real-name data only after an offline identity check
 * (`approvalRequired.realNameDeletionNeedsOfflineVerification`, seed 002
 * §VII.3). Portability and real-name deletion approvals are a supervisor's:
 * data leaving for another processor, or identity records destroyed, cannot
 * be undone. The organisation's floor, kept on the request, adds types whatever
 * the policy says, and (four eyes, on by default) makes a request taken in the
 * console wait for a second console user's approval when its fulfilment exports
 * or erases data. The approval is recorded on the request; the fulfilment
 * workflow waits for it.
 *
 * Separation of duties wherever an approval is needed (part of four eyes, off
 * with it): the approver is neither the console user who took the request nor
 * the one who checked the requester's identity, and the identity is not checked
 * by the user who approved. (Taking a request with an identity check is its
 * taker checking identity, so a taker who later reviews the identity plays no
 * new part: the approver must still be a second person.)
 */
import { ACTION_BY_TYPE } from '../fulfilment';
import { isOpen } from '../lifecycle';
import { fourEyesUnder, withFloor } from '../policy/organisation';
import type { PolicyProfile } from '../policy/schema';
import type { RequestType } from '../request';
import type { RequestRecord } from '../request-record';
import type { ActionContext, RecordChange } from './action';
import type { Approval, ApprovalReason, OfflineCheck } from './case-records';
import {
  AlreadyApproved,
  ApprovalNotRequired,
  OfflineCheckRequired,
  RequestClosed,
  RequestNotTriaged,
  SeparationOfDuties,
  SupervisorRequired,
} from './errors';

/**
 * Types that delete what may be real-name data. The request cannot say whether
 * real-name data is among what will be deleted until the stores are searched,
 * so every deletion under such a policy is treated as if it were.
 */
const DELETING_TYPES: readonly RequestType[] = ['deletion', 'account-cancellation'];

export interface ApprovalRequirement {
  readonly required: boolean;
  readonly reasons: readonly ApprovalReason[];
  readonly supervisorOnly: boolean;
  readonly offlineCheckRequired: boolean;
  /** Console users who may not approve it (separation of duties): who took it, who checked identity. */
  readonly notApprovableBy: readonly string[];
}

export function approvalRequirement(record: RequestRecord, policy: PolicyProfile): ApprovalRequirement {
  const { type } = record;
  const reasons: ApprovalReason[] = [];
  if (type !== undefined && policy.approvalRequired.requestTypes.includes(type))
    reasons.push('policy-request-type');
  // The organisation's floor, as it stood when the request came in (domain/policy/organisation.ts).
  else if (
    type !== undefined &&
    withFloor(policy, record.organisationFloor).approvalRequired.requestTypes.includes(type)
  )
    reasons.push('organisation-floor');
  if (
    type !== undefined &&
    policy.approvalRequired.realNameDeletionNeedsOfflineVerification &&
    DELETING_TYPES.includes(type)
  ) {
    reasons.push('real-name-deletion');
  }
  if (type !== undefined && needsFourEyes(record, type)) reasons.push('four-eyes');
  const realName = reasons.includes('real-name-deletion');
  const required = reasons.length > 0;
  return {
    required,
    reasons,
    supervisorOnly: required && (type === 'portability' || realName),
    offlineCheckRequired: realName,
    notApprovableBy: required && fourEyesUnder(record.organisationFloor) ? approvalExclusions(record) : [],
  };
}

/**
 * Four eyes (the organisation's floor, on by default): a console user took the request, and its
 * fulfilment exports data to someone or erases it. Types a person fulfils in the console (corrections,
 * consent, restriction, explanations) are that person's judgement already.
 */
function needsFourEyes(record: RequestRecord, type: RequestType): boolean {
  return (
    record.channel === 'console' &&
    fourEyesUnder(record.organisationFloor) &&
    ACTION_BY_TYPE[type] !== 'agent'
  );
}

function approvalExclusions(record: RequestRecord): string[] {
  const users = [record.takenBy, record.identityCheckedBy].filter((user) => user !== undefined);
  return [...new Set(users)];
}

/**
 * Separation of duties for `actorId` about to approve the request's fulfilment or check its requester's
 * identity, where the request needs an approval: throws SeparationOfDuties naming the rule broken.
 */
export function assertSeparateDuties(
  record: RequestRecord,
  policy: PolicyProfile,
  actorId: string,
  action: 'approve' | 'check-identity',
): void {
  // Turned off (a team of one), one user may take, check and approve, as before four eyes.
  if (!fourEyesUnder(record.organisationFloor) || !approvalRequirement(record, policy).required) return;
  if (action === 'approve') {
    if (record.takenBy === actorId) throw new SeparationOfDuties('approver-took-request');
    if (record.identityCheckedBy === actorId) throw new SeparationOfDuties('approver-checked-identity');
    return;
  }
  if (record.approvals?.some((approval) => approval.by === actorId))
    throw new SeparationOfDuties('identity-checker-approved');
}

/** Whether the request has every approval it needs (true when it needs none). */
export function isApproved(record: RequestRecord, policy: PolicyProfile): boolean {
  return !approvalRequirement(record, policy).required || (record.approvals?.length ?? 0) > 0;
}

export interface ApprovalInput {
  readonly approverRole: 'agent' | 'supervisor';
  readonly note?: string;
  readonly offlineCheck?: OfflineCheck;
}

export function approveFulfilment(
  record: RequestRecord,
  policy: PolicyProfile,
  input: ApprovalInput,
  context: ActionContext,
): RecordChange {
  const { actor, at } = context;
  if (!isOpen(record.status)) throw new RequestClosed(record.status);
  if (record.type === undefined) throw new RequestNotTriaged();
  const requirement = approvalRequirement(record, policy);
  if (!requirement.required) throw new ApprovalNotRequired(record.type, policy.id);
  const previous = record.approvals?.[0];
  if (previous) throw new AlreadyApproved(previous.by);
  if (requirement.supervisorOnly && input.approverRole !== 'supervisor') {
    throw new SupervisorRequired(
      record.type === 'portability'
        ? 'approve a portability request'
        : 'approve the deletion of real-name data',
    );
  }
  // After the role check: an agent who may not approve at all is told that first.
  assertSeparateDuties(record, policy, actor.id, 'approve');
  if (requirement.offlineCheckRequired && input.offlineCheck === undefined)
    throw new OfflineCheckRequired(policy.id);
  const approval: Approval = {
    by: actor.id,
    role: input.approverRole,
    at,
    reasons: requirement.reasons,
    ...(input.note ? { note: input.note } : {}),
    ...(requirement.offlineCheckRequired && input.offlineCheck ? { offlineCheck: input.offlineCheck } : {}),
  };
  return {
    next: { ...record, approvals: [...(record.approvals ?? []), approval] },
    events: [
      {
        type: 'fulfilment-approved',
        actor,
        at,
        details: {
          reasons: requirement.reasons,
          role: input.approverRole,
          ...(approval.offlineCheck ? { offlineCheck: approval.offlineCheck.method } : {}),
        },
      },
    ],
  };
}
