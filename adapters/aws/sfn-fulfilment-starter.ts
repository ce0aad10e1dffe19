/**
 * The FulfilmentStarter port on Step Functions. The execution is named after the request, so starting
 * it twice is harmless: Step Functions answers a repeated name with the existing execution (or
 * ExecutionAlreadyExists). Same behaviour as functions/fulfilment/start-fulfilment.ts, which the
 * fulfilment and intake handlers still call until they are converted.
 */
import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { FulfilmentStarter } from '../../app/console/ports';
import { stepFunctions } from './clients/sfn';
import { requiredEnv } from './runtime';

export const fulfilmentStarter: FulfilmentStarter = {
  async start(requestId) {
    try {
      await stepFunctions.send(
        new StartExecutionCommand({
          stateMachineArn: requiredEnv('FULFILMENT_STATE_MACHINE_ARN'),
          name: requestId,
          input: JSON.stringify({ requestId }),
        }),
      );
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  },
};
