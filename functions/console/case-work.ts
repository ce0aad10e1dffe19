/**
 * Case work that changes no status, one Lambda:
 *
 * - POST …/{id}/notes: a note on the request (its text on the request, its hash on the trail);
 * - POST …/{id}/assign: to a console user (agents claim unassigned work; supervisors assign anyone);
 * - POST …/{id}/repeat: flag a repeat request; the subject's earlier requests are
 *   counted through the bySubject index and the profile's fee rule recorded.
 */
import type { z } from 'zod';
import { getRequest } from '../../adapters/aws/request-store';
import { type ConsoleEvent, consoleRoutes, consoleRouteWithBody } from '../../adapters/lambda/console-api';
import { jsonResponse } from '../../adapters/lambda/http-api';
import { hasPrivilege } from '../../definitions/console-roles';
import { addCalendarMonthsClamped, plainDateInZone } from '../../domain/clock';
import { addNote, assignRequest } from '../../domain/console/case-work';
import { AssignSchema, NoteSchema, RepeatSchema } from '../../domain/console/console-input';
import { flagRepeat } from '../../domain/console/repeat';
import { getPolicy } from '../../domain/policy/registry';
import { changeRequest, subjectRequests } from './console-actions';

async function note(event: ConsoleEvent<z.output<typeof NoteSchema>>) {
  const { body, caller, requestId } = event;
  const record = await changeRequest(requestId, caller, (current, _policy, context) =>
    addNote(current, body.text, context),
  );
  return jsonResponse(200, { requestId, notes: record.notes?.length ?? 0 });
}

async function assign(event: ConsoleEvent<z.output<typeof AssignSchema>>) {
  const { body, caller, requestId } = event;
  const mayReassign = hasPrivilege('reassign', caller.roles);
  const record = await changeRequest(requestId, caller, (current, _policy, context) =>
    assignRequest(current, { assignee: body.assignee, mayReassign }, context),
  );
  return jsonResponse(200, { requestId, assignee: record.assignee ?? null });
}

async function repeat(event: ConsoleEvent<z.output<typeof RepeatSchema>>) {
  const { body, caller, requestId } = event;
  const stored = await getRequest(requestId);
  const policy = getPolicy(stored.policyId);
  // The earliest receipt instant that can fall in the period: a day before its start, to be safe across zones.
  const receivedOn = plainDateInZone(new Date(stored.receivedAt), policy.timeZone);
  const since = `${addCalendarMonthsClamped(receivedOn, -policy.repeatRequests.periodMonths)}T00:00:00.000Z`;
  const earlier = await subjectRequests(
    stored.subjectKey,
    new Date(Date.parse(since) - 86_400_000).toISOString(),
  );
  const record = await changeRequest(requestId, caller, (current, currentPolicy, context) =>
    flagRepeat(
      current,
      currentPolicy,
      earlier,
      {
        manifestlyExcessive: body.manifestlyExcessive,
        chargeFee: body.chargeFee,
        ...(body.feeNote ? { feeNote: body.feeNote } : {}),
      },
      context,
    ),
  );
  return jsonResponse(200, { requestId, repeat: record.repeat, repeatRule: policy.repeatRequests.text });
}

export const handler = consoleRoutes({
  'POST /v1/console/requests/{id}/notes': consoleRouteWithBody({ schema: NoteSchema }, note),
  'POST /v1/console/requests/{id}/assign': consoleRouteWithBody({ schema: AssignSchema }, assign),
  'POST /v1/console/requests/{id}/repeat': consoleRouteWithBody({ schema: RepeatSchema }, repeat),
});
