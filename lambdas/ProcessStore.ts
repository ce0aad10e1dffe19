/** ProcessStore: exports from or erases in one registered store (app/fulfilment/process-store.ts). */

import { connectorFactory } from '../adapters/aws/connector-factory';
import { requestRepository } from '../adapters/aws/request-store';
import { hashKey } from '../adapters/aws/secrets';
import { stagingArea } from '../adapters/aws/staging-area';
import { workflowTask } from '../adapters/lambda/workflow-task';
import { type ProcessStoreInput, processStore } from '../app/fulfilment/process-store';
import { systemClock } from '../app/ports';

const deps = {
  requests: requestRepository,
  connectors: connectorFactory,
  staging: stagingArea,
  secrets: { hashKey },
  clock: systemClock,
};

export const handler = workflowTask((input: ProcessStoreInput) => processStore(deps, input));
