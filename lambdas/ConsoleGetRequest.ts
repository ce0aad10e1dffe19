/** ConsoleGetRequest: GET /v1/console/requests/{id}, `?reveal=true` for supervisors (app/console/request-detail.ts). */

import { calendarSource } from '../adapters/aws/calendar-notices';
import { trailMac } from '../adapters/aws/kms-trail-mac';
import { requestRepository } from '../adapters/aws/request-store';
import { consoleRoute } from '../adapters/lambda/console-api';
import { jsonResponse } from '../adapters/lambda/http-api';
import { getRequestDetail } from '../app/console/request-detail';
import { systemClock } from '../app/ports';
import { DetailQuerySchema } from '../domain/console/console-input';

const deps = { requests: requestRepository, calendars: calendarSource, clock: systemClock, trailMac };

export const handler = consoleRoute({ query: DetailQuerySchema }, async ({ caller, query, requestId }) =>
  jsonResponse(200, await getRequestDetail(deps, caller, requestId, query.reveal === true)),
);
