/** ConsoleListRequests: GET /v1/console/requests, the work queue a page at a time (app/console/list-requests.ts). */

import { calendarSource } from '../adapters/aws/calendar-notices';
import { requestRepository } from '../adapters/aws/request-store';
import { consoleRoute } from '../adapters/lambda/console-api';
import { jsonResponse } from '../adapters/lambda/http-api';
import { listRequests } from '../app/console/list-requests';
import { systemClock } from '../app/ports';
import { ListQuerySchema } from '../domain/console/console-input';

const deps = { requests: requestRepository, calendars: calendarSource, clock: systemClock };

export const handler = consoleRoute({ query: ListQuerySchema }, async ({ query }) =>
  jsonResponse(200, await listRequests(deps, query)),
);
