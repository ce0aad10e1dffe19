/**
 * Approval before fulfilment. A request needs one when its policy lists its
 * type (`approvalRequired.requestTypes`), or when it deletes data under a
 * policy that deletes real-name data only after an offline identity check
 * (`approvalRequired.realNameDeletionNeedsOfflineVerification`, seed 002
 * §VII.3). Portability and real-name deletion approvals are a supervisor's:
 * data leaving for another processor, or identity records destroyed, cannot
 * be undone. The organisation's floor, kept on the request, adds types whatever
 * the policy says. The approval is recorded on the request; the fulfilment
 * workflow waits for it.
 */
import { isOpen } from '../lifecycle';
import { withFloor } from '../policy/organisation';
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
  const realName = reasons.includes('real-name-deletion');
  return {
    required: reasons.length > 0,
    reasons,
    supervisorOnly: reasons.length > 0 && (type === 'portability' || realName),
    offlineCheckRequired: realName,
  };
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
