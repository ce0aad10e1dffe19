/** ConsoleCorrections: POST /v1/console/requests/{id}/corrections, through the connectors (app/console/corrections.ts). */

import { calendarSource } from '../adapters/aws/calendar-notices';
import { connectorFactory } from '../adapters/aws/connector-factory';
import { consoleLog } from '../adapters/aws/console-log';
import { mailer } from '../adapters/aws/mailer';
import { requestRepository } from '../adapters/aws/request-store';
import { secretsReader } from '../adapters/aws/secrets';
import { bundledStoreCatalogue } from '../adapters/config/store-registry';
import { consoleRouteWithBody } from '../adapters/lambda/console-api';
import { jsonResponse } from '../adapters/lambda/http-api';
import { HttpProblem } from '../adapters/lambda/http-problem';
import { applyCorrection, IdentityNotResolved } from '../app/console/corrections';
import { systemClock } from '../app/ports';
import { CorrectionRequestSchema } from '../domain/correction';

const deps = {
  requests: requestRepository,
  calendars: calendarSource,
  clock: systemClock,
  mailer,
  log: consoleLog,
  connectors: connectorFactory,
  stores: bundledStoreCatalogue,
  secrets: secretsReader,
};

export const handler = consoleRouteWithBody(
  { schema: CorrectionRequestSchema },
  async ({ body, caller, requestId }) => {
    try {
      return jsonResponse(200, await applyCorrection(deps, caller, requestId, body));
    } catch (error) {
      // A resolver store is down: nothing was changed, the agent may try again (503, not our 500).
      if (error instanceof IdentityNotResolved) throw new HttpProblem(503, error.code, error.message);
      throw error;
    }
  },
);
