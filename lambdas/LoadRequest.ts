/** LoadRequest: the fulfilment workflow's first state (app/fulfilment/load-request.ts). */

import { requestRepository } from '../adapters/aws/request-store';
import { bundledStoreCatalogue } from '../adapters/config/store-registry';
import { workflowTask } from '../adapters/lambda/workflow-task';
import { loadRequest } from '../app/fulfilment/load-request';
import type { TaskInput } from '../app/fulfilment/workflow';
import { systemClock } from '../app/ports';

export const handler = workflowTask((input: TaskInput) =>
  loadRequest(
    {
      requests: requestRepository,
      stores: bundledStoreCatalogue,
      clock: systemClock,
      settings: {
        agentPollSeconds: Number(process.env.AGENT_POLL_SECONDS ?? 3600),
        maxConcurrency: Number(process.env.FULFILMENT_MAX_CONCURRENCY ?? 4),
      },
    },
    input,
  ),
);
