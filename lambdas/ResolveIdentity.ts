/** ResolveIdentity: derived identifiers from verified ones, once (app/fulfilment/resolve-identity.ts). */

import { connectorFactory } from '../adapters/aws/connector-factory';
import { requestRepository } from '../adapters/aws/request-store';
import { workflowTask } from '../adapters/lambda/workflow-task';
import { type ResolveIdentityInput, resolveIdentity } from '../app/fulfilment/resolve-identity';
import { systemClock } from '../app/ports';

const deps = { requests: requestRepository, connectors: connectorFactory, clock: systemClock };

export const handler = workflowTask((input: ResolveIdentityInput) => resolveIdentity(deps, input));
