/**
 * Decisions on a request:
 *
 * - approve: the approval the policy or the request type needs before fulfilment, recorded on the
 *   request (portability and real-name deletion approvals are a supervisor's; a request taken in the
 *   console that exports or erases data needs a second console user's, four eyes; see
 *   domain/console/approval.ts); a verified request then goes to fulfilment, which the console holds
 *   back until the approval is there. The approver is never who took the request or checked the
 *   requester's identity: such an attempt is refused (403) and recorded on the trail;
 * - refuse (supervisors): refused on one of the policy's grounds, with a reason; the requester is mailed
 *   the ground in Chinese and English and how to complain.
 */
import type { z } from 'zod';
import { hasPrivilege } from '../../definitions/console-roles';
import { approveFulfilment } from '../../domain/console/approval';
import type { ApprovalSchema, RefusalSchema } from '../../domain/console/console-input';
import { policyRefusalGround, policyRefusalNotice, refuseRequest } from '../../domain/console/refusal';
import { isWaitingToStart } from '../../domain/fulfilment-wait';
import { getPolicy } from '../../domain/policy/registry';
import { changeRequest, noticeFields, notifyRequester, withSeparationRecorded } from './console-actions';
import type { ConsoleUser, FulfilmentActionDeps } from './ports';

export async function approve(
  deps: FulfilmentActionDeps,
  caller: ConsoleUser,
  requestId: string,
  input: z.output<typeof ApprovalSchema>,
) {
  const approverRole = hasPrivilege('approveSensitiveFulfilment', caller.roles) ? 'supervisor' : 'agent';
  const record = await withSeparationRecorded(deps, requestId, caller, 'approve', () =>
    changeRequest(deps, requestId, caller, (current, policy, context) =>
      approveFulfilment(
        current,
        policy,
        {
          approverRole,
          ...(input.note ? { note: input.note } : {}),
          ...(input.offlineCheck ? { offlineCheck: input.offlineCheck } : {}),
        },
        context,
      ),
    ),
  );
  // The approval was what fulfilment waited for (see create-request.ts and identity-review.ts), unless
  // the wait after verification still runs: the sweeper then starts it (app/timers/end-fulfilment-wait.ts).
  if (record.status === 'verified' && !isWaitingToStart(record)) await deps.fulfilment.start(requestId);
  return { requestId, status: record.status, approvals: record.approvals ?? [] };
}

export async function refuse(
  deps: FulfilmentActionDeps,
  caller: ConsoleUser,
  requestId: string,
  input: z.output<typeof RefusalSchema>,
) {
  const record = await changeRequest(deps, requestId, caller, (current, policy, context) =>
    refuseRequest(current, policy, input, context),
  );
  const policy = getPolicy(record.policyId);
  const ground = policyRefusalGround(policy, input.ground);
  const notice = await notifyRequester(
    deps,
    record,
    'refusal',
    policyRefusalNotice(requestId, policy, input),
    caller.actor,
  );
  return {
    requestId,
    status: record.status,
    refusal: { ground: ground.id, zh: ground.zh, en: ground.en, basis: ground.basis },
    ...noticeFields(notice),
  };
}
