/**
 * An agent's identity review: approve (after checking a document from the evidence bucket, named by its
 * key, or by another method the policy allows: the identifiers the agent names become verified by the
 * agent, the others stay unverified, and the request is verified), or reject (refused on the ground identity-not-verified; the requester is told why
 * and how to complain). Where fulfilment needs an approval, the user who gave it may not also check the
 * identity (domain/console/approval.ts): refused (403) and recorded on the trail.
 */
import type { z } from 'zod';
import { isApproved } from '../../domain/console/approval';
import { addNote } from '../../domain/console/case-work';
import type { IdentityReviewSchema } from '../../domain/console/console-input';
import { approveIdentity, rejectIdentity } from '../../domain/console/identity';
import { policyRefusalNotice } from '../../domain/console/refusal';
import { getPolicy } from '../../domain/policy/registry';
import { changeRequest, noticeFields, notifyRequester, withSeparationRecorded } from './console-actions';
import type { ConsoleUser, FulfilmentActionDeps } from './ports';

export async function reviewIdentity(
  deps: FulfilmentActionDeps,
  caller: ConsoleUser,
  requestId: string,
  input: z.output<typeof IdentityReviewSchema>,
) {
  if (input.decision === 'approve') {
    const record = await withSeparationRecorded(deps, requestId, caller, 'identity-review', () =>
      changeRequest(deps, requestId, caller, (current, policy, context) => {
        const approved = approveIdentity(
          current,
          policy,
          {
            method: input.method,
            ...(input.evidenceKey ? { evidenceKey: input.evidenceKey } : {}),
            identifiers: input.identifiers,
          },
          context,
        );
        // What the agent checked stays with the request, not in the trail.
        const noted = addNote(approved.next, `Identity check (${input.method}): ${input.note}`, context);
        return { next: noted.next, events: [...approved.events, ...noted.events] };
      }),
    );
    // Data may leave or be destroyed only now, and only once any approval the policy needs is recorded
    // (the approval then starts the workflow).
    if (record.status === 'verified' && isApproved(record, getPolicy(record.policyId))) {
      await deps.fulfilment.start(requestId);
    }
    return {
      requestId,
      status: record.status,
      verifiedOn: record.verifiedOn,
      dueDate: record.deadline.dueDate,
    };
  }
  const record = await changeRequest(deps, requestId, caller, (current, policy, context) =>
    rejectIdentity(current, policy, input.reason, context),
  );
  const policy = getPolicy(record.policyId);
  const notice = await notifyRequester(
    deps,
    record,
    'refusal',
    policyRefusalNotice(requestId, policy, { ground: 'identity-not-verified', reason: input.reason }),
    caller.actor,
  );
  return { requestId, status: record.status, refusalGround: record.refusal?.ground, ...noticeFields(notice) };
}
