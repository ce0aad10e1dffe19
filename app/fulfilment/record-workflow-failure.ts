/**
 * RecordWorkflowFailure — the workflow's last word when a step fails for good
 * or runs out of retries (every Task and the store Map `Catch` here). The
 * request moves to `needs-attention` with the step, the store the error names,
 * the error and the attempts, so the queue, the status page and a redrive can
 * act on it; the execution then ends in its `FulfilmentFailed` state.
 */
import {
  attemptsBeforeCatch,
  causeMessage,
  planNeedsAttention,
  type Retrier,
  storeNamedBy,
} from '../../domain/workflow-failure';
import type { Clock, RequestRepository } from '../ports';
import type { StoreCatalogue } from './ports';
import { type TaskInput, workflowActor } from './workflow';

/** What Step Functions' Catch puts at its ResultPath. */
export interface CaughtError {
  readonly Error?: string;
  readonly Cause?: string;
}

export interface RecordWorkflowFailureInput extends TaskInput {
  /** `$.failed`: each Catch writes its error under its own state's name (`$.failed.<State>`). */
  readonly failed?: Readonly<Record<string, CaughtError>>;
  /** The execution that failed (`$$.Execution.Name`), where the ASL passes it. */
  readonly execution?: string;
}

export interface RecordWorkflowFailureDeps {
  readonly requests: RequestRepository;
  readonly stores: StoreCatalogue;
  readonly clock: Clock;
  /** The retriers of each state, from the ASL the workflow runs: how often a step ran before it gave up. */
  readonly retriers: (step: string) => readonly Retrier[];
}

export async function recordWorkflowFailure(
  deps: RecordWorkflowFailureDeps,
  input: RecordWorkflowFailureInput,
): Promise<{ readonly requestId: string; readonly status: string }> {
  const [step, caught] = Object.entries(input.failed ?? {})[0] ?? ['unknown', {}];
  const error = caught.Error ?? 'UnknownError';
  const message = causeMessage(caught.Cause);
  const storeIds = deps.stores.registry().stores.map((store) => store.id);
  const storeId = storeNamedBy(message, storeIds);
  const at = deps.clock.now().toISOString();
  const record = await deps.requests.mutate(input.requestId, (current) =>
    planNeedsAttention(
      current,
      {
        // The one stop whose kind an agent acts on differently (decide who the requester is, not redrive).
        ...(error === 'AmbiguousSubjectError' ? { kind: 'ambiguous-identity' as const } : {}),
        reason: `${step} failed${storeId ? ` on store ${storeId}` : ''}: ${error}`.slice(0, 300),
        step,
        error,
        attempts: attemptsBeforeCatch(deps.retriers(step), error),
        detectedBy: 'workflow',
        ...(storeId ? { storeId } : {}),
        ...(input.execution ? { execution: input.execution } : {}),
      },
      workflowActor,
      at,
    ),
  );
  return { requestId: input.requestId, status: record.status };
}
