/** AssemblePackage: the staged exports into one zip (app/fulfilment/assemble-package.ts). */

import { packageBuilder } from '../adapters/aws/export-package';
import { requestRepository } from '../adapters/aws/request-store';
import { bundledStoreCatalogue } from '../adapters/config/store-registry';
import { workflowTask } from '../adapters/lambda/workflow-task';
import { assemblePackage } from '../app/fulfilment/assemble-package';
import type { TaskInput } from '../app/fulfilment/workflow';
import { systemClock } from '../app/ports';

const deps = {
  requests: requestRepository,
  stores: bundledStoreCatalogue,
  packages: packageBuilder,
  clock: systemClock,
};

export const handler = workflowTask((input: TaskInput) => assemblePackage(deps, input));
