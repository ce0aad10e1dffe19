/**
 * The production WorkflowStarter (app/ports.ts): starts the
 * fulfilment state machine for a request. The execution is named after the
 * request (a redrive names its own, `<id>-redrive-<n>`), so starting it twice
 * is harmless: Step Functions answers a repeated name with the existing
 * execution (or ExecutionAlreadyExists).
 */
import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { WorkflowStarter } from '../../app/ports';
import { stepFunctions } from './clients/sfn';
import { requiredEnv } from './runtime';

export async function startFulfilment(requestId: string, executionName = requestId): Promise<void> {
  try {
    await stepFunctions.send(
      new StartExecutionCommand({
        stateMachineArn: requiredEnv('FULFILMENT_STATE_MACHINE_ARN'),
        name: executionName,
        input: JSON.stringify({ requestId }),
      }),
    );
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
}

export const workflowStarter: WorkflowStarter = { start: startFulfilment };
