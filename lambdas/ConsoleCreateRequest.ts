/** ConsoleCreateRequest: POST /v1/console/requests, a request taken on the subject's behalf (app/console/create-request.ts). */

import { consoleLog } from '../adapters/aws/console-log';
import { intakePorts } from '../adapters/aws/intake-ports';
import { requiredEnv } from '../adapters/aws/runtime';
import { workflowStarter } from '../adapters/aws/workflow-starter';
import { consoleRouteWithBody } from '../adapters/lambda/console-api';
import { jsonResponse } from '../adapters/lambda/http-api';
import { createConsoleRequest } from '../app/console/create-request';
import { ConsoleSubmissionSchema } from '../domain/console/console-input';

const deps = { ...intakePorts, log: consoleLog, fulfilment: workflowStarter };

export const handler = consoleRouteWithBody({ schema: ConsoleSubmissionSchema }, async ({ body, caller }) =>
  jsonResponse(
    201,
    await createConsoleRequest(deps, caller, {
      submission: body,
      defaultPolicyId: requiredEnv('DEFAULT_POLICY_ID'),
    }),
  ),
);
