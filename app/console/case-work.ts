/**
 * Case work that changes no status:
 *
 * - a note on the request (its text on the request, its hash on the trail);
 * - assignment to a console user (agents claim unassigned work; supervisors assign anyone);
 * - a repeat request flagged: the subject's earlier requests are counted through the bySubject index
 *   and the profile's fee rule recorded.
 */
import type { z } from 'zod';
import { hasPrivilege } from '../../definitions/console-roles';
import { addCalendarMonthsClamped, plainDateInZone } from '../../domain/clock';
import { addNote, assignRequest } from '../../domain/console/case-work';
import type { RepeatSchema } from '../../domain/console/console-input';
import { flagRepeat } from '../../domain/console/repeat';
import { getPolicy } from '../../domain/policy/registry';
import { changeRequest, subjectRequests } from './console-actions';
import type { ActionDeps, ConsoleUser } from './ports';

export async function noteOnRequest(deps: ActionDeps, caller: ConsoleUser, requestId: string, text: string) {
  const record = await changeRequest(deps, requestId, caller, (current, _policy, context) =>
    addNote(current, text, context),
  );
  return { requestId, notes: record.notes?.length ?? 0 };
}

export async function assignTo(deps: ActionDeps, caller: ConsoleUser, requestId: string, assignee: string) {
  const mayReassign = hasPrivilege('reassign', caller.roles);
  const record = await changeRequest(deps, requestId, caller, (current, _policy, context) =>
    assignRequest(current, { assignee, mayReassign }, context),
  );
  return { requestId, assignee: record.assignee ?? null };
}

export async function flagRepeatRequest(
  deps: ActionDeps,
  caller: ConsoleUser,
  requestId: string,
  input: z.output<typeof RepeatSchema>,
) {
  const stored = await deps.requests.get(requestId);
  const policy = getPolicy(stored.policyId);
  // The earliest receipt instant that can fall in the period: a day before its start, to be safe across zones.
  const receivedOn = plainDateInZone(new Date(stored.receivedAt), policy.timeZone);
  const since = `${addCalendarMonthsClamped(receivedOn, -policy.repeatRequests.periodMonths)}T00:00:00.000Z`;
  const earlier = await subjectRequests(
    deps.requests,
    stored.subjectKey,
    new Date(Date.parse(since) - 86_400_000).toISOString(),
  );
  const record = await changeRequest(deps, requestId, caller, (current, currentPolicy, context) =>
    flagRepeat(
      current,
      currentPolicy,
      earlier,
      {
        manifestlyExcessive: input.manifestlyExcessive,
        chargeFee: input.chargeFee,
        ...(input.feeNote ? { feeNote: input.feeNote } : {}),
      },
      context,
    ),
  );
  return { requestId, repeat: record.repeat, repeatRule: policy.repeatRequests.text };
}
