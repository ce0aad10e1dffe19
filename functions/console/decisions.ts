/**
 * Decisions on a request, one Lambda:
 *
 * - POST …/{id}/approve: the approval the policy or the request type needs
 *   before fulfilment, recorded on the request (portability and real-name
 *   deletion approvals are a supervisor's; see domain/console/approval.ts);
 *   a verified request then goes to fulfilment, which the console holds back
 *   until the approval is there;
 * - POST …/{id}/refuse (supervisors): refused on one of the policy's grounds,
 *   with a reason; the requester is mailed the ground in Chinese and English
 *   and how to complain.
 */
import type { z } from 'zod';
import { startFulfilment } from '../../adapters/aws/workflow-starter';
import { type ConsoleEvent, consoleRoutes, consoleRouteWithBody } from '../../adapters/lambda/console-api';
import { jsonResponse } from '../../adapters/lambda/http-api';
import { hasPrivilege } from '../../definitions/console-roles';
import { approveFulfilment } from '../../domain/console/approval';
import { ApprovalSchema, RefusalSchema } from '../../domain/console/console-input';
import { policyRefusalGround, policyRefusalNotice, refuseRequest } from '../../domain/console/refusal';
import { getPolicy } from '../../domain/policy/registry';
import { changeRequest, notifyRequester } from './console-actions';

async function approve(event: ConsoleEvent<z.output<typeof ApprovalSchema>>) {
  const { body, caller, requestId } = event;
  const approverRole = hasPrivilege('approveSensitiveFulfilment', caller.roles) ? 'supervisor' : 'agent';
  const record = await changeRequest(requestId, caller, (current, policy, context) =>
    approveFulfilment(
      current,
      policy,
      {
        approverRole,
        ...(body.note ? { note: body.note } : {}),
        ...(body.offlineCheck ? { offlineCheck: body.offlineCheck } : {}),
      },
      context,
    ),
  );
  // The approval was what fulfilment waited for (see create-request.ts and review-identity.ts).
  if (record.status === 'verified') await startFulfilment(requestId);
  return jsonResponse(200, { requestId, status: record.status, approvals: record.approvals ?? [] });
}

async function refuse(event: ConsoleEvent<z.output<typeof RefusalSchema>>) {
  const { body, caller, requestId } = event;
  const record = await changeRequest(requestId, caller, (current, policy, context) =>
    refuseRequest(current, policy, body, context),
  );
  const policy = getPolicy(record.policyId);
  const ground = policyRefusalGround(policy, body.ground);
  const notice = await notifyRequester(
    record,
    'refusal',
    policyRefusalNotice(requestId, policy, body),
    caller.actor,
  );
  return jsonResponse(200, {
    requestId,
    status: record.status,
    refusal: { ground: ground.id, zh: ground.zh, en: ground.en, basis: ground.basis },
    noticeSent: notice.sent,
    ...(notice.reason ? { noticeNotSentBecause: notice.reason } : {}),
  });
}

export const handler = consoleRoutes({
  'POST /v1/console/requests/{id}/approve': consoleRouteWithBody({ schema: ApprovalSchema }, approve),
  'POST /v1/console/requests/{id}/refuse': consoleRouteWithBody({ schema: RefusalSchema }, refuse),
});
