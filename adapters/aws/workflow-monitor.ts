/**
 * The production WorkflowMonitor (app/timers/ports.ts): DescribeExecution on the
 * fulfilment state machine's executions. The execution ARN is the state
 * machine's with `stateMachine` replaced by `execution` and the name appended,
 * in any partition (aws, aws-cn).
 */
import { DescribeExecutionCommand, ExecutionDoesNotExist } from '@aws-sdk/client-sfn';
import type { WorkflowMonitor, WorkflowRun } from '../../app/timers/ports';
import { stepFunctions } from './clients/sfn';
import { requiredEnv } from './runtime';

export function executionArn(stateMachineArn: string, executionName: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
}

export const workflowMonitor: WorkflowMonitor = {
  async describe(executionName) {
    try {
      const answer = await stepFunctions.send(
        new DescribeExecutionCommand({
          executionArn: executionArn(requiredEnv('FULFILMENT_STATE_MACHINE_ARN'), executionName),
        }),
      );
      return {
        status: (answer.status ?? 'RUNNING') as WorkflowRun['status'],
        startedAt: answer.startDate ?? new Date(0),
        ...(answer.stopDate ? { stoppedAt: answer.stopDate } : {}),
        ...(answer.error ? { error: answer.error } : {}),
      };
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return undefined;
      throw error;
    }
  },
};
