/** RecordWorkflowFailure: the workflow's Catch; the request needs attention (app/fulfilment/record-workflow-failure.ts). */

import { requestRepository } from '../adapters/aws/request-store';
import { bundledStoreCatalogue } from '../adapters/config/store-registry';
import { fulfilmentRetriers } from '../adapters/config/workflow-definition';
import { workflowTask } from '../adapters/lambda/workflow-task';
import {
  type RecordWorkflowFailureInput,
  recordWorkflowFailure,
} from '../app/fulfilment/record-workflow-failure';
import { systemClock } from '../app/ports';

const deps = {
  requests: requestRepository,
  stores: bundledStoreCatalogue,
  clock: systemClock,
  retriers: fulfilmentRetriers,
};

export const handler = workflowTask((input: RecordWorkflowFailureInput) =>
  recordWorkflowFailure(deps, input),
);
