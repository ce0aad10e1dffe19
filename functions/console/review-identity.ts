/**
 * POST /v1/console/requests/{id}/identity — an agent's identity review: approve
 * (after checking a document from the evidence bucket, named by its key, or by
 * another method the policy allows: the identifiers become verified by the
 * agent and the request verified), or reject (refused on the ground
 * identity-not-verified; the requester is told why and how to complain).
 */
import type { z } from 'zod';
import { startFulfilment } from '../../adapters/aws/workflow-starter';
import { type ConsoleEvent, consoleRouteWithBody } from '../../adapters/lambda/console-api';
import { jsonResponse } from '../../adapters/lambda/http-api';
import { isApproved } from '../../domain/console/approval';
import { addNote } from '../../domain/console/case-work';
import { IdentityReviewSchema } from '../../domain/console/console-input';
import { approveIdentity, rejectIdentity } from '../../domain/console/identity';
import { policyRefusalNotice } from '../../domain/console/refusal';
import { getPolicy } from '../../domain/policy/registry';
import { changeRequest, notifyRequester } from './console-actions';

async function reviewIdentity(event: ConsoleEvent<z.output<typeof IdentityReviewSchema>>) {
  const { body, caller, requestId } = event;
  if (body.decision === 'approve') {
    const record = await changeRequest(requestId, caller, (current, policy, context) => {
      const approved = approveIdentity(
        current,
        policy,
        {
          method: body.method,
          ...(body.evidenceKey ? { evidenceKey: body.evidenceKey } : {}),
          ...(body.identifiers ? { identifiers: body.identifiers } : {}),
        },
        context,
      );
      // What the agent checked stays with the request, not in the trail.
      const noted = addNote(approved.next, `Identity check (${body.method}): ${body.note}`, context);
      return { next: noted.next, events: [...approved.events, ...noted.events] };
    });
    // Data may leave or be destroyed only now, and only once any approval the policy needs is recorded
    // (the approval then starts the workflow).
    if (record.status === 'verified' && isApproved(record, getPolicy(record.policyId))) {
      await startFulfilment(requestId);
    }
    return jsonResponse(200, {
      requestId,
      status: record.status,
      verifiedOn: record.verifiedOn,
      dueDate: record.deadline.dueDate,
    });
  }
  const record = await changeRequest(requestId, caller, (current, policy, context) =>
    rejectIdentity(current, policy, body.reason, context),
  );
  const policy = getPolicy(record.policyId);
  const notice = await notifyRequester(
    record,
    'refusal',
    policyRefusalNotice(requestId, policy, { ground: 'identity-not-verified', reason: body.reason }),
    caller.actor,
  );
  return jsonResponse(200, {
    requestId,
    status: record.status,
    refusalGround: record.refusal?.ground,
    noticeSent: notice.sent,
    ...(notice.reason ? { noticeNotSentBecause: notice.reason } : {}),
  });
}

export const handler = consoleRouteWithBody({ schema: IdentityReviewSchema }, reviewIdentity);
