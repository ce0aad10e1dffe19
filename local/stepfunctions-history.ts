/**
 * Translates the interpreter's event log into GetExecutionHistory events, so
 * `aws stepfunctions get-execution-history` and the SDK show a local run the
 * way they show one on AWS.
 *
 * Approximations: `previousEventId` is simply the preceding event; Task
 * failures are reported as `TaskFailed` (AWS reports `LambdaFunctionFailed`
 * for the function-ARN form); retries and catches have no event of their own
 * (as on AWS, where they show as a new `TaskScheduled` or the next state).
 */
import type { StateMachine } from 'aws-local-stepfunctions';
import type { HistoryEvent } from './stepfunctions-store';

/** One entry of the interpreter's event log (the package does not export the type by name). */
export type InterpreterEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : json(value);
}

/** The AWS history event for one interpreter event, or `undefined` when AWS has no counterpart. */
export function toHistoryEvent(
  event: InterpreterEvent,
  id: number,
  roleArn: string,
): HistoryEvent | undefined {
  const base = { id, previousEventId: id - 1, timestamp: event.timestamp };
  switch (event.type) {
    case 'ExecutionStarted':
      return {
        ...base,
        type: 'ExecutionStarted',
        executionStartedEventDetails: {
          input: json(event.input),
          inputDetails: { truncated: false },
          roleArn,
        },
      };
    case 'ExecutionSucceeded':
      return {
        ...base,
        type: 'ExecutionSucceeded',
        executionSucceededEventDetails: { output: json(event.output), outputDetails: { truncated: false } },
      };
    case 'ExecutionFailed':
      return {
        ...base,
        type: 'ExecutionFailed',
        executionFailedEventDetails: { error: event.Error, cause: text(event.Cause) },
      };
    case 'ExecutionAborted':
      return { ...base, type: 'ExecutionAborted', executionAbortedEventDetails: {} };
    case 'ExecutionTimeout':
      return {
        ...base,
        type: 'ExecutionTimedOut',
        executionTimedOutEventDetails: { error: 'States.Timeout' },
      };
    case 'StateEntered':
      return {
        ...base,
        type: `${event.state.type}StateEntered`,
        stateEnteredEventDetails: {
          name: event.state.name,
          input: json(event.state.input),
          inputDetails: { truncated: false },
        },
      };
    case 'StateExited':
      return {
        ...base,
        type: `${event.state.type}StateExited`,
        stateExitedEventDetails: {
          name: event.state.name,
          output: json(event.state.output),
          outputDetails: { truncated: false },
        },
      };
    case 'StateFailed':
      if (event.state.type !== 'Task') return undefined;
      return {
        ...base,
        type: 'TaskFailed',
        taskFailedEventDetails: {
          resourceType: 'lambda',
          resource: 'invoke',
          error: event.Error,
          cause: text(event.Cause),
        },
      };
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed': {
      const detailsKey = `${event.type[0]!.toLowerCase()}${event.type.slice(1)}EventDetails`;
      return {
        ...base,
        type: event.type,
        [detailsKey]: { name: event.parentState.name, index: event.index },
      };
    }
    default:
      return undefined;
  }
}
