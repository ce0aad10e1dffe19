/**
 * DeliverPackage: the download link, mailed (or sent by SMS to a phone-only requester) once per package
 * version (app/fulfilment/deliver-package.ts).
 */

import { downloadLinkIssuer } from '../adapters/aws/download-link-issuer';
import { mailer } from '../adapters/aws/mailer';
import { requestRepository } from '../adapters/aws/request-store';
import { smsSender } from '../adapters/aws/sms';
import { workflowTask } from '../adapters/lambda/workflow-task';
import { deliverPackage } from '../app/fulfilment/deliver-package';
import type { TaskInput } from '../app/fulfilment/workflow';
import { systemClock } from '../app/ports';

const deps = {
  requests: requestRepository,
  links: downloadLinkIssuer,
  mailer,
  // A requester verified by phone alone gets the link by SMS.
  sms: smsSender,
  clock: systemClock,
};

export const handler = workflowTask((input: TaskInput) => deliverPackage(deps, input));
