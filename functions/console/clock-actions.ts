/**
 * The reply clock's console actions, one Lambda:
 *
 * - POST …/{id}/awaiting-requester: ask the requester for more; the clock
 *   stops where the policy allows, and the requester is mailed the question;
 * - POST …/{id}/resume: the requester answered; the stopped working (or
 *   calendar) days are added and the due date recomputed;
 * - POST …/{id}/extend (supervisors): the policy's extension, within its cap,
 *   with its reason, notified to the requester now, which must be no later
 *   than the policy's notice deadline (and, for qianxin, the explanation date).
 */
import type { z } from 'zod';
import { type ConsoleEvent, consoleRoutes, consoleRouteWithBody } from '../../adapters/lambda/console-api';
import { jsonResponse } from '../../adapters/lambda/http-api';
import { addNote } from '../../domain/console/case-work';
import { AwaitingRequesterSchema, ExtensionSchema, ResumeSchema } from '../../domain/console/console-input';
import { extendRequest } from '../../domain/console/extension';
import { askRequester, resumeRequest } from '../../domain/console/pause';
import { extensionNotice, informationRequestNotice } from '../../domain/notices';
import { getPolicy } from '../../domain/policy/registry';
import { changeRequest, notifyRequester } from './console-actions';

function noticeFields(notice: Awaited<ReturnType<typeof notifyRequester>>) {
  return { noticeSent: notice.sent, ...(notice.reason ? { noticeNotSentBecause: notice.reason } : {}) };
}

async function awaitRequester(event: ConsoleEvent<z.output<typeof AwaitingRequesterSchema>>) {
  const { body, caller, requestId } = event;
  const record = await changeRequest(requestId, caller, (current, policy, context) => {
    const asked = askRequester(current, policy, context);
    const noted = addNote(asked.next, `Asked the requester: ${body.message}`, context);
    return { next: noted.next, events: [...asked.events, ...noted.events] };
  });
  const policy = getPolicy(record.policyId);
  const clockPaused = record.pausedSince !== undefined;
  const notice = await notifyRequester(
    record,
    'information-request',
    informationRequestNotice({
      requestId,
      message: body.message,
      clockPaused,
      organisation: policy.organisation,
    }),
    caller.actor,
  );
  return jsonResponse(200, {
    requestId,
    status: record.status,
    clockPaused,
    ...(clockPaused ? { pausedSince: record.pausedSince } : { clockNote: policy.pause.comment }),
    ...noticeFields(notice),
  });
}

async function resume(event: ConsoleEvent<z.output<typeof ResumeSchema>>) {
  const { body, caller, requestId } = event;
  const before: { dueDate?: string | null } = {};
  const record = await changeRequest(requestId, caller, (current, policy, context) => {
    before.dueDate = current.deadline.dueDate;
    const resumed = resumeRequest(current, policy, context);
    if (!body.note) return resumed;
    const noted = addNote(resumed.next, body.note, context);
    return { next: noted.next, events: [...resumed.events, ...noted.events] };
  });
  return jsonResponse(200, {
    requestId,
    status: record.status,
    pausedUnits: record.pausedUnits,
    dueDateBefore: before.dueDate ?? null,
    dueDate: record.deadline.dueDate,
  });
}

async function extend(event: ConsoleEvent<z.output<typeof ExtensionSchema>>) {
  const { body, caller, requestId } = event;
  const record = await changeRequest(requestId, caller, (current, policy, context) =>
    extendRequest(current, policy, body.reason ? { reason: body.reason } : {}, context),
  );
  const policy = getPolicy(record.policyId);
  const notice = await notifyRequester(
    record,
    'extension',
    extensionNotice({
      requestId,
      dueDate: record.deadline.dueDate,
      ...(record.extensionReason ? { reason: record.extensionReason } : {}),
      organisation: policy.organisation,
    }),
    caller.actor,
  );
  const { deadline } = record;
  return jsonResponse(200, {
    requestId,
    status: record.status,
    dueDate: deadline.dueDate,
    originalDueDate: deadline.extension?.originalDueDate ?? null,
    noticeBy: deadline.extension?.noticeBy ?? null,
    noticeOn: record.postponedOn,
    ...(deadline.explanationDueDate ? { explanationDueDate: deadline.explanationDueDate } : {}),
    ...noticeFields(notice),
  });
}

export const handler = consoleRoutes({
  'POST /v1/console/requests/{id}/awaiting-requester': consoleRouteWithBody(
    { schema: AwaitingRequesterSchema },
    awaitRequester,
  ),
  'POST /v1/console/requests/{id}/resume': consoleRouteWithBody({ schema: ResumeSchema }, resume),
  'POST /v1/console/requests/{id}/extend': consoleRouteWithBody({ schema: ExtensionSchema }, extend),
});
