/** ConsoleClock: awaiting the requester, resume, extend (app/console/clock-actions.ts). */

import { calendarSource } from '../adapters/aws/calendar-notices';
import { consoleLog } from '../adapters/aws/console-log';
import { mailer } from '../adapters/aws/mailer';
import { requestRepository } from '../adapters/aws/request-store';
import { consoleRoutes, consoleRouteWithBody } from '../adapters/lambda/console-api';
import { jsonResponse } from '../adapters/lambda/http-api';
import { awaitRequester, extendDeadline, resumeClock } from '../app/console/clock-actions';
import { systemClock } from '../app/ports';
import { AwaitingRequesterSchema, ExtensionSchema, ResumeSchema } from '../domain/console/console-input';

const deps = {
  requests: requestRepository,
  calendars: calendarSource,
  clock: systemClock,
  mailer,
  log: consoleLog,
};

export const handler = consoleRoutes({
  'POST /v1/console/requests/{id}/awaiting-requester': consoleRouteWithBody(
    { schema: AwaitingRequesterSchema },
    async ({ body, caller, requestId }) =>
      jsonResponse(200, await awaitRequester(deps, caller, requestId, body.message)),
  ),
  'POST /v1/console/requests/{id}/resume': consoleRouteWithBody(
    { schema: ResumeSchema },
    async ({ body, caller, requestId }) =>
      jsonResponse(200, await resumeClock(deps, caller, requestId, body.note)),
  ),
  'POST /v1/console/requests/{id}/extend': consoleRouteWithBody(
    { schema: ExtensionSchema },
    async ({ body, caller, requestId }) =>
      jsonResponse(200, await extendDeadline(deps, caller, requestId, body.reason)),
  ),
});
