/** CloseRequest: closes the request from what every store recorded (app/fulfilment/close-request.ts). */

import { requestRepository } from '../adapters/aws/request-store';
import { workflowTask } from '../adapters/lambda/workflow-task';
import { closeRequest } from '../app/fulfilment/close-request';
import type { TaskInput } from '../app/fulfilment/workflow';
import { systemClock } from '../app/ports';

export const handler = workflowTask((input: TaskInput) =>
  closeRequest({ requests: requestRepository, clock: systemClock }, input),
);
