/** NotifyRequester: the erasure summary, sent once (app/fulfilment/notify-requester.ts). */

import { mailer } from '../adapters/aws/mailer';
import { requestRepository } from '../adapters/aws/request-store';
import { bundledStoreCatalogue } from '../adapters/config/store-registry';
import { workflowTask } from '../adapters/lambda/workflow-task';
import { notifyRequester } from '../app/fulfilment/notify-requester';
import type { TaskInput } from '../app/fulfilment/workflow';
import { systemClock } from '../app/ports';

const deps = {
  requests: requestRepository,
  stores: bundledStoreCatalogue,
  mailer,
  clock: systemClock,
};

export const handler = workflowTask((input: TaskInput) => notifyRequester(deps, input));
