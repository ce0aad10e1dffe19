/**
 * An agent's identity review: approve (after checking a document from the evidence bucket, named by its
 * key, or by another method the policy allows: the identifiers the agent names become verified by the
 * agent, the others stay unverified, and the request is verified), or reject (refused on the ground identity-not-verified; the requester is told why
 * and how to complain). Where fulfilment needs an approval, the user who gave it may not also check the
 * identity (domain/console/approval.ts): refused (403) and recorded on the trail.
 *
 * A type that cannot be undone enters the same wait as one verified by code (app/intake/wait-notice.ts):
 * an agent's check is no better proof that the subject, not someone in their name, asked for it.
 */
import type { z } from 'zod';
import { isApproved } from '../../domain/console/approval';
import { addNote } from '../../domain/console/case-work';
import type { IdentityReviewSchema } from '../../domain/console/console-input';
import { approveIdentity, rejectIdentity } from '../../domain/console/identity';
import { policyRefusalNotice } from '../../domain/console/refusal';
import { enterFulfilmentWait } from '../../domain/fulfilment-wait';
import { getPolicy } from '../../domain/policy/registry';
import { mailWaitNotice, newWaitLink, type WaitDeps, waitStart } from '../intake/wait-notice';
import { changeRequest, noticeFields, notifyRequester, withSeparationRecorded } from './console-actions';
import type { ConsoleUser, FulfilmentActionDeps } from './ports';

/** The review's ports: a console action that may start fulfilment, and the wait it may start instead. */
export type IdentityReviewDeps = FulfilmentActionDeps & WaitDeps;

export async function reviewIdentity(
  deps: IdentityReviewDeps,
  caller: ConsoleUser,
  requestId: string,
  input: z.output<typeof IdentityReviewSchema>,
) {
  if (input.decision === 'approve') {
    const link = await newWaitLink(deps, requestId);
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
        return enterFulfilmentWait(
          { next: noted.next, events: [...approved.events, ...noted.events] },
          waitStart(deps, current, link),
          context.at,
        );
      }),
    );
    // Data may leave or be destroyed only now, once the wait of a type that cannot be undone is over
    // (the sweeper then starts it) and any approval the policy needs is recorded (the approval then
    // starts it).
    const approved = isApproved(record, getPolicy(record.policyId));
    const waiting = record.fulfilmentNotBefore !== undefined;
    if (record.status === 'verified' && approved && !waiting) await deps.fulfilment.start(requestId);
    if (waiting) {
      await mailWaitNotice({ ...deps, telemetry: deps.log }, record, { link, awaitingApproval: !approved });
    }
    return {
      requestId,
      status: record.status,
      verifiedOn: record.verifiedOn,
      dueDate: record.deadline.dueDate,
      ...(waiting ? { fulfilmentNotBefore: record.fulfilmentNotBefore } : {}),
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
