/** RecordStoreFailure: the store Map's Catch (app/fulfilment/record-store-failure.ts). */

import { requestRepository } from '../adapters/aws/request-store';
import { workflowTask } from '../adapters/lambda/workflow-task';
import { type RecordStoreFailureInput, recordStoreFailure } from '../app/fulfilment/record-store-failure';
import { systemClock } from '../app/ports';

export const handler = workflowTask((input: RecordStoreFailureInput) =>
  recordStoreFailure({ requests: requestRepository, clock: systemClock }, input),
);
