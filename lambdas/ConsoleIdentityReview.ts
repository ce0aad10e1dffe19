/** ConsoleIdentityReview: POST /v1/console/requests/{id}/identity, approve or reject (app/console/identity-review.ts). */

import { calendarSource } from '../adapters/aws/calendar-notices';
import { consoleLog } from '../adapters/aws/console-log';
import { mailer } from '../adapters/aws/mailer';
import { requestRepository } from '../adapters/aws/request-store';
import { workflowStarter } from '../adapters/aws/workflow-starter';
import { consoleRouteWithBody } from '../adapters/lambda/console-api';
import { jsonResponse } from '../adapters/lambda/http-api';
import { reviewIdentity } from '../app/console/identity-review';
import { systemClock } from '../app/ports';
import { IdentityReviewSchema } from '../domain/console/console-input';

const deps = {
  requests: requestRepository,
  calendars: calendarSource,
  clock: systemClock,
  mailer,
  log: consoleLog,
  fulfilment: workflowStarter,
};

export const handler = consoleRouteWithBody(
  { schema: IdentityReviewSchema },
  async ({ body, caller, requestId }) =>
    jsonResponse(200, await reviewIdentity(deps, caller, requestId, body)),
);
