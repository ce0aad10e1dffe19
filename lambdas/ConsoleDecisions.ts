/** ConsoleDecisions: approve fulfilment, refuse on a statutory ground (app/console/decisions.ts). */

import { calendarSource } from '../adapters/aws/calendar-notices';
import { consoleLog } from '../adapters/aws/console-log';
import { mailer } from '../adapters/aws/mailer';
import { requestRepository } from '../adapters/aws/request-store';
import { workflowStarter } from '../adapters/aws/workflow-starter';
import { consoleRoutes, consoleRouteWithBody } from '../adapters/lambda/console-api';
import { jsonResponse } from '../adapters/lambda/http-api';
import { approve, refuse } from '../app/console/decisions';
import { systemClock } from '../app/ports';
import { ApprovalSchema, RefusalSchema } from '../domain/console/console-input';

const deps = {
  requests: requestRepository,
  calendars: calendarSource,
  clock: systemClock,
  mailer,
  log: consoleLog,
  fulfilment: workflowStarter,
};

export const handler = consoleRoutes({
  'POST /v1/console/requests/{id}/approve': consoleRouteWithBody(
    { schema: ApprovalSchema },
    async ({ body, caller, requestId }) => jsonResponse(200, await approve(deps, caller, requestId, body)),
  ),
  'POST /v1/console/requests/{id}/refuse': consoleRouteWithBody(
    { schema: RefusalSchema },
    async ({ body, caller, requestId }) => jsonResponse(200, await refuse(deps, caller, requestId, body)),
  ),
});
