/**
 * Shared shape of the fulfilment workflow's task handlers: each is one Lambda
 * invoked by Step Functions with `{ requestId, ... }` — never PII, because the
 * execution history stores every input and output — and each is idempotent:
 * it reads what is already recorded on the request and does only what is not.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { SubjectIdentity } from '../../connectors/contract';
import type { RequestRecord } from '../../domain/request-record';
import { logger, metrics } from '../aws/runtime';

export interface TaskInput {
  readonly requestId: string;
}

export const workflowActor = { kind: 'system', id: 'fulfilment-workflow' } as const;

/** Wraps a task with the same logging and metrics as every other handler. */
export function workflowTask<TInput extends TaskInput, TOutput>(
  task: (input: TInput, context: Context) => Promise<TOutput>,
) {
  return middy(task)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}

/**
 * The identifiers fulfilment may use: those verified, plus those resolved from
 * verified ones. An unverified identifier is never used to find data (Fides #2451).
 */
export function verifiedIdentity(record: RequestRecord): SubjectIdentity {
  const identity: Record<string, string> = {};
  for (const identifier of record.identifiers) {
    if (identifier.verified) identity[identifier.kind] = identifier.value;
  }
  return { ...identity, ...(record.fulfilment?.resolvedIdentifiers ?? {}) };
}
