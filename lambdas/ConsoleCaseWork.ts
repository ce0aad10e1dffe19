/** ConsoleCaseWork: notes, assignment and repeat requests (app/console/case-work.ts). */

import { calendarSource } from '../adapters/aws/calendar-notices';
import { requestRepository } from '../adapters/aws/request-store';
import { consoleRoutes, consoleRouteWithBody } from '../adapters/lambda/console-api';
import { jsonResponse } from '../adapters/lambda/http-api';
import { assignTo, flagRepeatRequest, noteOnRequest } from '../app/console/case-work';
import { systemClock } from '../app/ports';
import { AssignSchema, NoteSchema, RepeatSchema } from '../domain/console/console-input';

const deps = { requests: requestRepository, calendars: calendarSource, clock: systemClock };

export const handler = consoleRoutes({
  'POST /v1/console/requests/{id}/notes': consoleRouteWithBody(
    { schema: NoteSchema },
    async ({ body, caller, requestId }) =>
      jsonResponse(200, await noteOnRequest(deps, caller, requestId, body.text)),
  ),
  'POST /v1/console/requests/{id}/assign': consoleRouteWithBody(
    { schema: AssignSchema },
    async ({ body, caller, requestId }) =>
      jsonResponse(200, await assignTo(deps, caller, requestId, body.assignee)),
  ),
  'POST /v1/console/requests/{id}/repeat': consoleRouteWithBody(
    { schema: RepeatSchema },
    async ({ body, caller, requestId }) =>
      jsonResponse(200, await flagRepeatRequest(deps, caller, requestId, body)),
  ),
});
