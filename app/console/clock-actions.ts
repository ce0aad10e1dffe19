/**
 * The reply clock's console actions:
 *
 * - awaiting the requester: ask the requester for more; the clock stops where the policy allows, and
 *   the requester is mailed the question;
 * - resume: the requester answered; the stopped working (or calendar) days are added and the due date
 *   recomputed;
 * - extend (supervisors): the policy's extension, within its cap, with its reason, notified to the
 *   requester now, which must be no later than the policy's notice deadline (and, for qianxin, the
 *   explanation date).
 */
import { addNote } from '../../domain/console/case-work';
import { extendRequest } from '../../domain/console/extension';
import { askRequester, resumeRequest } from '../../domain/console/pause';
import { extensionNotice, informationRequestNotice } from '../../domain/notices';
import { getPolicy } from '../../domain/policy/registry';
import { changeRequest, noticeFields, notifyRequester } from './console-actions';
import type { ActionDeps, ConsoleUser, NoticeActionDeps } from './ports';

export async function awaitRequester(
  deps: NoticeActionDeps,
  caller: ConsoleUser,
  requestId: string,
  message: string,
) {
  const record = await changeRequest(deps, requestId, caller, (current, policy, context) => {
    const asked = askRequester(current, policy, context);
    const noted = addNote(asked.next, `Asked the requester: ${message}`, context);
    return { next: noted.next, events: [...asked.events, ...noted.events] };
  });
  const policy = getPolicy(record.policyId);
  const clockPaused = record.pausedSince !== undefined;
  const notice = await notifyRequester(
    deps,
    record,
    'information-request',
    informationRequestNotice({ requestId, message, clockPaused, organisation: policy.organisation }),
    caller.actor,
  );
  return {
    requestId,
    status: record.status,
    clockPaused,
    ...(clockPaused ? { pausedSince: record.pausedSince } : { clockNote: policy.pause.comment }),
    ...noticeFields(notice),
  };
}

export async function resumeClock(
  deps: ActionDeps,
  caller: ConsoleUser,
  requestId: string,
  note: string | undefined,
) {
  const before: { dueDate?: string | null } = {};
  const record = await changeRequest(deps, requestId, caller, (current, policy, context) => {
    before.dueDate = current.deadline.dueDate;
    const resumed = resumeRequest(current, policy, context);
    if (!note) return resumed;
    const noted = addNote(resumed.next, note, context);
    return { next: noted.next, events: [...resumed.events, ...noted.events] };
  });
  return {
    requestId,
    status: record.status,
    pausedUnits: record.pausedUnits,
    dueDateBefore: before.dueDate ?? null,
    dueDate: record.deadline.dueDate,
  };
}

export async function extendDeadline(
  deps: NoticeActionDeps,
  caller: ConsoleUser,
  requestId: string,
  reason: string | undefined,
) {
  const record = await changeRequest(deps, requestId, caller, (current, policy, context) =>
    extendRequest(current, policy, reason ? { reason } : {}, context),
  );
  const policy = getPolicy(record.policyId);
  const notice = await notifyRequester(
    deps,
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
  return {
    requestId,
    status: record.status,
    dueDate: deadline.dueDate,
    originalDueDate: deadline.extension?.originalDueDate ?? null,
    noticeBy: deadline.extension?.noticeBy ?? null,
    noticeOn: record.postponedOn,
    ...(deadline.explanationDueDate ? { explanationDueDate: deadline.explanationDueDate } : {}),
    ...noticeFields(notice),
  };
}
