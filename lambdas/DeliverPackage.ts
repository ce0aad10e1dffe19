/** DeliverPackage: the download link, mailed once per package version (app/fulfilment/deliver-package.ts). */

import { downloadLinkIssuer } from '../adapters/aws/download-link-issuer';
import { mailer } from '../adapters/aws/mailer';
import { requestRepository } from '../adapters/aws/request-store';
import { workflowTask } from '../adapters/lambda/workflow-task';
import { deliverPackage } from '../app/fulfilment/deliver-package';
import type { TaskInput } from '../app/fulfilment/workflow';
import { systemClock } from '../app/ports';

const deps = { requests: requestRepository, links: downloadLinkIssuer, mailer, clock: systemClock };

export const handler = workflowTask((input: TaskInput) => deliverPackage(deps, input));
