/**
 * RecordStoreFailure — the Map iteration's Catch: a store that failed for
 * good (or ran out of retries) is recorded with its reason, so the request
 * closes as partially fulfilled instead of the whole workflow failing.
 */
import { causeMessage } from '../../domain/workflow-failure';
import type { Clock, RequestRepository } from '../ports';
import { type TaskInput, workflowActor } from './workflow';

export interface RecordStoreFailureDeps {
  readonly requests: RequestRepository;
  readonly clock: Clock;
}

export interface RecordStoreFailureInput extends TaskInput {
  readonly storeId: string;
  /** What Step Functions' Catch puts at ResultPath: the error name and its cause. */
  readonly error?: { readonly Error?: string; readonly Cause?: string };
}

/** The error's name and message, cut short; messages of our connector errors carry no PII. */
export function failureReason(error: RecordStoreFailureInput['error']): string {
  const message = causeMessage(error?.Cause);
  return `${error?.Error ?? 'UnknownError'}${message ? `: ${message}` : ''}`.slice(0, 300);
}

export async function recordStoreFailure(deps: RecordStoreFailureDeps, input: RecordStoreFailureInput) {
  const reason = failureReason(input.error);
  const at = deps.clock.now().toISOString();
  await deps.requests.mutate(input.requestId, (current) => {
    if (!current.fulfilment) return undefined;
    const existing = current.fulfilment.storeResults[input.storeId];
    // A manual task that timed out fails; a store that finished meanwhile keeps its result.
    if (existing && existing.status !== 'failed' && existing.status !== 'waiting-for-agent') return undefined;
    return {
      next: {
        ...current,
        fulfilment: {
          ...current.fulfilment,
          storeResults: {
            ...current.fulfilment.storeResults,
            [input.storeId]: { status: 'failed', reason, at },
          },
        },
      },
      events: [
        { type: 'store-failed', actor: workflowActor, at, details: { storeId: input.storeId, reason } },
      ],
    };
  });
  return { requestId: input.requestId, storeId: input.storeId, status: 'failed' as const };
}
