/** ConsoleTriage: POST /v1/console/requests/{id}/triage, a type for an untyped request or a duplicate closed (app/console/triage.ts). */

import { calendarSource } from '../adapters/aws/calendar-notices';
import { requestRepository } from '../adapters/aws/request-store';
import { consoleRouteWithBody } from '../adapters/lambda/console-api';
import { jsonResponse } from '../adapters/lambda/http-api';
import { triage } from '../app/console/triage';
import { systemClock } from '../app/ports';
import { TriageSchema } from '../domain/console/console-input';

const deps = { requests: requestRepository, calendars: calendarSource, clock: systemClock };

export const handler = consoleRouteWithBody({ schema: TriageSchema }, async ({ body, caller, requestId }) =>
  jsonResponse(200, await triage(deps, caller, requestId, body)),
);
