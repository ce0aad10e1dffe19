/** ConsoleStoreWork: a manual store's task confirmed, failed stores run again (app/console/store-work.ts). */

import { calendarSource } from '../adapters/aws/calendar-notices';
import { requestRepository } from '../adapters/aws/request-store';
import { workflowStarter } from '../adapters/aws/workflow-starter';
import { consoleRoutes, consoleRouteWithBody } from '../adapters/lambda/console-api';
import { jsonResponse } from '../adapters/lambda/http-api';
import { confirmManualTask, redriveFailedStores } from '../app/console/store-work';
import { systemClock } from '../app/ports';
import { ManualTaskDoneSchema, RedriveSchema } from '../domain/console/console-input';

const deps = {
  requests: requestRepository,
  calendars: calendarSource,
  clock: systemClock,
  fulfilment: workflowStarter,
};

export const handler = consoleRoutes({
  'POST /v1/console/requests/{id}/stores/{storeId}/done': consoleRouteWithBody(
    { schema: ManualTaskDoneSchema },
    async ({ body, caller, requestId, storeId }) =>
      jsonResponse(200, await confirmManualTask(deps, caller, requestId, storeId, body)),
  ),
  'POST /v1/console/requests/{id}/redrive': consoleRouteWithBody(
    { schema: RedriveSchema },
    async ({ caller, requestId }) => jsonResponse(200, await redriveFailedStores(deps, caller, requestId)),
  ),
});
