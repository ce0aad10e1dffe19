/** CloseRequest: closes the request from what every store recorded (app/fulfilment/close-request.ts). */

import { s3PackageDeleter } from '../adapters/aws/package-deleter';
import { requestRepository } from '../adapters/aws/request-store';
import { revocableDownloadLinks } from '../adapters/aws/revocable-download-links';
import { workflowTask } from '../adapters/lambda/workflow-task';
import { closeRequest } from '../app/fulfilment/close-request';
import type { TaskInput } from '../app/fulfilment/workflow';
import { systemClock } from '../app/ports';

const deps = {
  requests: requestRepository,
  clock: systemClock,
  links: revocableDownloadLinks,
  packages: s3PackageDeleter,
};

export const handler = workflowTask((input: TaskInput) => closeRequest(deps, input));
