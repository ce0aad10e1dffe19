/** ConsoleIdentityReview: POST /v1/console/requests/{id}/identity, approve or reject (app/console/identity-review.ts). */

import { calendarSource } from '../adapters/aws/calendar-notices';
import { consoleLog } from '../adapters/aws/console-log';
import { mailer } from '../adapters/aws/mailer';
import { requestRepository } from '../adapters/aws/request-store';
import { oneTimeSecrets, secretsReader } from '../adapters/aws/secrets';
import { workflowStarter } from '../adapters/aws/workflow-starter';
import { destructiveWaitHours } from '../adapters/config/destructive-wait';
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
  // A type that cannot be undone waits after the agent's check as after a code (app/intake/wait-notice.ts).
  secrets: secretsReader,
  oneTimeSecrets,
  get destructiveWaitHours() {
    return destructiveWaitHours();
  },
};

export const handler = consoleRouteWithBody(
  { schema: IdentityReviewSchema },
  async ({ body, caller, requestId }) =>
    jsonResponse(200, await reviewIdentity(deps, caller, requestId, body)),
);
