/** PushPortability: the approved package, POSTed to the recipient the requester named (app/fulfilment/push-portability.ts). */
import { downloadLinkIssuer } from '../adapters/aws/download-link-issuer';
import { mailer } from '../adapters/aws/mailer';
import { packagePush } from '../adapters/aws/package-push';
import { requestRepository } from '../adapters/aws/request-store';
import { workflowTask } from '../adapters/lambda/workflow-task';
import { type PushPortabilityInput, pushPortability } from '../app/fulfilment/push-portability';
import { systemClock } from '../app/ports';

const deps = {
  requests: requestRepository,
  push: packagePush,
  links: downloadLinkIssuer,
  mailer,
  clock: systemClock,
};

export const handler = workflowTask((input: PushPortabilityInput) => pushPortability(deps, input));
